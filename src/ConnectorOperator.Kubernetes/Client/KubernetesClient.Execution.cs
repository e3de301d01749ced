using System.Net;
using System.Text.Json;
using ConnectorOperator.Kubernetes.Serialization;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Client;

public sealed partial class KubernetesClient
{
    /// <summary>
    /// Sends a request built fresh for each attempt and reads its body under the same per-request deadline.
    /// Reads retry on 429, 5xx and transport errors; writes only on a 429 with Retry-After (not yet processed).
    /// </summary>
    private async Task<TResult> ExecuteAsync<TResult>(Func<HttpRequestMessage> build, bool read, string operation,
        Func<HttpResponseMessage, CancellationToken, Task<TResult>> onSuccess, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.RequestTimeout);
            Exception? transportError = null;
            HttpResponseMessage? response = null;
            try
            {
                response = await SendOnceAsync(build(), deadline.Token);
                if (response.IsSuccessStatusCode)
                    return await onSuccess(response, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                transportError = new TimeoutException($"{operation}: no answer within {_options.RequestTimeout}");
            }
            catch (HttpRequestException e)
            {
                transportError = e;
            }
            catch (IOException e)
            {
                transportError = e;
            }

            using (response)
            {
                var retryAfter = response is null ? null : RetryAfterOf(response);
                var code = response is null ? 0 : (int)response.StatusCode;
                var retryable = response is null
                    ? read
                    : code == 429 ? read || retryAfter is not null
                    : read && code is 500 or 502 or 503 or 504;
                if (!retryable || attempt >= _options.MaxReadRetries)
                {
                    if (response is null || response.IsSuccessStatusCode) throw Wrap(transportError!, operation);
                    throw await ToExceptionAsync(response, operation, cancellationToken);
                }
                var delay = retryAfter ?? Backoff(attempt);
                _logger.LogDebug("Retrying {Operation} in {Delay} after {Outcome} (attempt {Attempt})",
                    operation, delay, response is null ? transportError!.GetType().Name : code.ToString(System.Globalization.CultureInfo.InvariantCulture), attempt + 1);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (_limiter is not null)
            {
                using var lease = await _limiter.AcquireAsync(1, cancellationToken);
            }
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
    }

    private static Exception Wrap(Exception transportError, string operation) =>
        transportError is TimeoutException ? transportError : new HttpRequestException($"{operation}: {transportError.Message}", transportError);

    /// <summary>Jittered and exponential: spreads a thundering herd of operators after an API server restart.</summary>
    private TimeSpan Backoff(int attempt) => Runtime.Backoff.Delay(_options.RetryBaseDelay, _options.RetryMaxDelay, attempt);

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is { Ticks: > 0 } d ? d : TimeSpan.Zero;
        return null;
    }

    /// <summary>Turns an error response into a typed exception carrying the server's Status (or one built from the body).</summary>
    internal async Task<KubernetesApiException> ToExceptionAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            body = "";
        }
        V1Status? status = null;
        if (body.StartsWith('{'))
        {
            try
            {
                status = JsonSerializer.Deserialize(body, Json.TypeInfo<V1Status>());
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
                Code = (int)response.StatusCode,
                Reason = ReasonFor(response.StatusCode),
                Message = body.Length > 512 ? body[..512] : body,
            };
        }
        var retryAfter = RetryAfterOf(response) ?? (status.Details?.RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        return new KubernetesApiException(response.StatusCode, status, retryAfter, operation);
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
}

internal static class HttpRequestMessageExtensions
{
    public static HttpRequestMessage Accepting(this HttpRequestMessage request, string accept)
    {
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }
}
