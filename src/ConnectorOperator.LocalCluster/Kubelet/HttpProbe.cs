using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// The kubelet's HTTP handler call, shared by probes and preStop hooks: GET http://podIP:port/path, success is a
/// status from 200 to 399, anything else (refused, timed out) is failure.
/// </summary>
internal sealed class HttpProbe(HttpClient http)
{
    /// <summary>True when the container has no such handler (nothing to check) or the handler answered 2xx/3xx.</summary>
    public async Task<bool> CheckAsync(JsonObject container, JsonNode? httpGet, string podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (httpGet is not JsonObject get) return true;
        var port = PodSpecReader.ResolvePort(container, get["port"]);
        if (port is null) return false;
        var path = get["path"]?.GetValue<string>() ?? "/";
        if (!path.StartsWith('/')) path = "/" + path;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{podIp}:{port}{path}"));
            // No keep-alive, as a kubelet's prober: an idle connection per pod would cost a descriptor per pod.
            request.Headers.ConnectionClose = true;
            foreach (var header in get["httpHeaders"]?.AsArray() ?? [])
            {
                if (header?["name"]?.GetValue<string>() is { } name) request.Headers.TryAddWithoutValidation(name, header["value"]?.GetValue<string>());
            }
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
