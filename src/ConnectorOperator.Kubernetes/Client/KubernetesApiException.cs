using System.Net;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>The API server answered with an error. <see cref="Status"/> is the server's own meta/v1 Status (or one we synthesized for a non-Status body).</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(HttpStatusCode statusCode, V1Status status, TimeSpan? retryAfter = null, string? operation = null)
        : base(Describe(statusCode, status, operation))
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

    private static string Describe(HttpStatusCode code, V1Status status, string? operation) =>
        $"{operation}{(operation is null ? "" : ": ")}{(int)code} {status.Reason ?? code.ToString()}: {status.Message}";
}
