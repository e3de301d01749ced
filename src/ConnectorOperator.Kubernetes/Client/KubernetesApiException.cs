using System.Net;
using System.Text.Json;
using ConnectorOperator.Kubernetes.Serialization;
using k8s.Autorest;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// The API server answered with an error. <see cref="Status"/> is the server's own meta/v1 Status (or one we
/// synthesized for a non-Status body). Made from the typed client's <see cref="HttpOperationException"/> (its
/// <see cref="Exception.InnerException"/>) or from a response of our own requests (watch, metadata-only list).
/// </summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(HttpStatusCode statusCode, V1Status status, TimeSpan? retryAfter = null, string? operation = null, Exception? inner = null)
        : base(Describe(statusCode, status, operation), inner)
    {
        StatusCode = statusCode;
        Status = status;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode StatusCode { get; }
    public V1Status Status { get; }
    public TimeSpan? RetryAfter { get; }

    /// <summary>The Status reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone, TooManyRequests, ...</summary>
    public string? Reason => Status.Reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Reason != "AlreadyExists";
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";
    public bool IsInvalid => StatusCode == HttpStatusCode.UnprocessableEntity;
    public bool IsTooManyRequests => StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>The typed error of a typed-client failure: the body it carries as a string, parsed as a Status.</summary>
    public static KubernetesApiException From(HttpOperationException error, string operation)
    {
        ArgumentNullException.ThrowIfNull(error);
        var response = error.Response;
        var code = response?.StatusCode ?? HttpStatusCode.InternalServerError;
        TimeSpan? retryAfter = null;
        if (response?.Headers is { } headers && headers.TryGetValue("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            retryAfter = TimeSpan.FromSeconds(seconds);
        }
        return Create(code, response?.Content ?? "", retryAfter, operation, error);
    }

    /// <summary>The typed error of a failed response to one of our own requests.</summary>
    public static async Task<KubernetesApiException> FromResponseAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            body = "";
        }
        return Create(response.StatusCode, body, RetryHandler.RetryAfterOf(response), operation, null);
    }

    private static KubernetesApiException Create(HttpStatusCode code, string body, TimeSpan? retryAfter, string operation, Exception? inner)
    {
        V1Status? status = null;
        if (body.StartsWith('{'))
        {
            try
            {
                status = JsonSerializer.Deserialize(body, KubernetesJson.Default.TypeInfo<V1Status>());
            }
            catch (JsonException)
            {
                status = null;
            }
        }
        if (status is null || (status.Kind is not null && status.Kind != "Status"))
        {
            status = new V1Status
            {
                Status = "Failure",
                Code = (int)code,
                Reason = ReasonFor(code),
                Message = body.Length > 512 ? body[..512] : body,
            };
        }
        retryAfter ??= status.Details?.RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        return new KubernetesApiException(code, status, retryAfter, operation, inner);
    }

    private static string ReasonFor(HttpStatusCode code) => code switch
    {
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.Gone => "Expired",
        HttpStatusCode.UnprocessableEntity => "Invalid",
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.BadRequest => "BadRequest",
        HttpStatusCode.MethodNotAllowed => "MethodNotAllowed",
        HttpStatusCode.UnsupportedMediaType => "UnsupportedMediaType",
        HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
        HttpStatusCode.GatewayTimeout => "Timeout",
        _ => "InternalError",
    };

    private static string Describe(HttpStatusCode code, V1Status status, string? operation) =>
        $"{operation}{(operation is null ? "" : ": ")}{(int)code} {status.Reason ?? code.ToString()}: {status.Message}";
}
