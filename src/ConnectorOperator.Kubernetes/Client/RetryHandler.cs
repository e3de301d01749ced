using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// Our retry policy in the typed client's pipeline. Reads (GET, not watches) retry on 429, 5xx and transport errors
/// with jittered exponential backoff; writes only on a 429 that carries Retry-After (the server did nothing yet).
/// Each attempt of a non-watch request has <see cref="KubernetesClientOptions.RequestTimeout"/>, reading its body
/// included (the body is buffered here, so a connection cut mid-body is retried like any transport error).
/// </summary>
internal sealed class RetryHandler(KubernetesClientOptions options, TimeProvider time, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsWatch(request)) return await base.SendAsync(request, cancellationToken);
        var read = request.Method == HttpMethod.Get;
        for (var attempt = 0; ; attempt++)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.RequestTimeout);
            Exception? transportError = null;
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, deadline.Token);
                await response.Content.LoadIntoBufferAsync(deadline.Token);
                if (response.IsSuccessStatusCode) return response;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                transportError = new TimeoutException($"{Describe(request)}: no answer within {options.RequestTimeout}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                transportError = e;
            }

            var retryAfter = response is null ? null : RetryAfterOf(response);
            var code = response is null ? 0 : (int)response.StatusCode;
            var retryable = response is null
                ? read
                : code == 429 ? read || retryAfter is not null
                : read && code is 500 or 502 or 503 or 504;
            if (!retryable || attempt >= options.MaxReadRetries)
            {
                if (response is not null) return response;
                throw transportError is TimeoutException ? transportError
                    : new HttpRequestException($"{Describe(request)}: {transportError!.Message}", transportError);
            }
            response?.Dispose();
            var delay = retryAfter ?? Runtime.Backoff.Delay(options.RetryBaseDelay, options.RetryMaxDelay, attempt);
            logger.LogDebug("Retrying {Operation} in {Delay} after {Outcome} (attempt {Attempt})", Describe(request), delay,
                response is null ? transportError!.GetType().Name : code.ToString(CultureInfo.InvariantCulture), attempt + 1);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    internal static bool IsWatch(HttpRequestMessage request) =>
        request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;

    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.AbsolutePath}";

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is { Ticks: > 0 } d ? d : TimeSpan.Zero;
        return null;
    }
}
