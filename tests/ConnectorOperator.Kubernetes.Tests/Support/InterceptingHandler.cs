using System.Net;
using System.Text;

namespace ConnectorOperator.Kubernetes.Tests.Support;

/// <summary>
/// Sits between one client and the API server: logs, delays or fails that client's requests only (so a test can
/// cut off one replica while others keep working) and counts the 409s it receives.
/// </summary>
public sealed class InterceptingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Lock _gate = new();
    private readonly List<string> _requests = [];
    private int _conflicts;

    /// <summary>Answer the request locally with this status instead of sending it; null sends it.</summary>
    public Func<HttpRequestMessage, HttpStatusCode?>? Fault { get; set; }

    /// <summary>Hold the request this long before sending (or failing) it; null sends at once.</summary>
    public Func<HttpRequestMessage, TimeSpan?>? Delay { get; set; }

    /// <summary>409 answers received (Conflict and AlreadyExists).</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>"METHOD /path" of every request this client made.</summary>
    public List<string> Requests()
    {
        lock (_gate) return [.. _requests];
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate) _requests.Add($"{request.Method} {request.RequestUri?.AbsolutePath}");
        if (Delay?.Invoke(request) is { } delay) await Task.Delay(delay, cancellationToken);
        if (Fault?.Invoke(request) is { } code)
        {
            var body = $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"InternalError","message":"injected failure","code":{{(int)code}}}""";
            return new HttpResponseMessage(code) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict) Interlocked.Increment(ref _conflicts);
        return response;
    }
}
