using System.Diagnostics;
using System.Globalization;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>Receives one record per API request: verb (get, list, watch, create, update, patch, delete, deletecollection), resource, code and latency.</summary>
public interface IApiRequestMetrics
{
    /// <param name="code">The HTTP status as text, or <c>"error"</c> when no answer came (transport failure, timeout).</param>
    /// <param name="latency">Until the response headers arrived (a watch's stream is not included).</param>
    void Observed(string verb, string resource, string code, TimeSpan latency);
}

/// <summary>
/// The one place API requests are measured: sits in the client's handler chain, derives the verb and resource
/// from the request (never an object name or namespace, so label values stay few) and reports each answer to
/// <see cref="IApiRequestMetrics"/>. Each request is also a span (source <see cref="ActivitySourceName"/>), a child
/// of the reconcile that made it.
/// </summary>
public sealed class ApiRequestMetricsHandler(IApiRequestMetrics metrics) : DelegatingHandler
{
    public const string ActivitySourceName = "ConnectorOperator.Kubernetes.Client";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (verb, resource) = Describe(request.Method, request.RequestUri);
        using var activity = Source.StartActivity($"{verb} {resource}", ActivityKind.Client);
        activity?.SetTag("k8s.verb", verb);
        activity?.SetTag("k8s.resource", resource);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode) activity?.SetStatus(ActivityStatusCode.Error);
            metrics.Observed(verb, resource, code, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            metrics.Observed(verb, resource, "error", Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>
    /// The Kubernetes verb and resource of a request path: <c>/api/v1/namespaces/ns/pods/name/status</c> is
    /// (get|update|patch, pods/status); a GET of a collection is a list, with <c>watch=true</c> a watch.
    /// </summary>
    internal static (string Verb, string Resource) Describe(HttpMethod method, Uri? uri)
    {
        var path = uri is null ? "" : uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?', 2)[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Skip the API prefix: api/v1 or apis/group/version (a server path prefix may come before it).
        var start = Array.IndexOf(segments, "api") is var core and >= 0 ? core + 2
            : Array.IndexOf(segments, "apis") is var named and >= 0 ? named + 3
            : segments.Length;
        var rest = start <= segments.Length ? segments[start..] : [];
        if (rest.Length >= 2 && rest[0] == "namespaces" && rest.Length > 2) rest = rest[2..];
        var resource = rest.Length == 0 ? "discovery" : rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
        var collection = rest.Length <= 1;
        var watch = uri?.Query.Contains("watch=true", StringComparison.Ordinal) == true
            || (uri is { IsAbsoluteUri: false } && uri.OriginalString.Contains("watch=true", StringComparison.Ordinal));
        var verb = method.Method switch
        {
            "GET" => watch ? "watch" : collection ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => collection ? "deletecollection" : "delete",
            _ => method.Method.ToLowerInvariant(),
        };
        return (verb, resource);
    }
}
