using System.Net;
using ConnectorOperator.Kubernetes.Config;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public sealed class CredentialHandlerTests
{
    /// <summary>Hands out "token-1", "token-2"... one per Invalidate.</summary>
    private sealed class RotatingSource : ICredentialSource
    {
        private int _generation = 1;

        public int Invalidations { get; private set; }

        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>($"token-{_generation}");

        public void Invalidate()
        {
            Invalidations++;
            _generation++;
        }
    }

    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpStatusCode> respond) : HttpMessageHandler
    {
        public List<string?> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(respond(request)));
        }
    }

    [Fact]
    public async Task Retry_after_401_happens_only_once()
    {
        var source = new RotatingSource();
        var inner = new RecordingHandler(_ => HttpStatusCode.Unauthorized);
        using var client = new HttpClient(new CredentialHandler(source) { InnerHandler = inner });

        using var response = await client.GetAsync(new Uri("https://api.test/api"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], inner.Seen);
        Assert.Equal(2, source.Invalidations);
    }

    [Fact]
    public async Task Unchanged_credential_is_not_retried()
    {
        var inner = new RecordingHandler(_ => HttpStatusCode.Unauthorized);
        using var client = new HttpClient(new CredentialHandler(new StaticTokenSource("fixed")) { InnerHandler = inner });

        using var response = await client.DeleteAsync(new Uri("https://api.test/api/x"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(inner.Seen);
    }

    [Fact]
    public async Task Request_with_body_is_not_replayed()
    {
        var source = new RotatingSource();
        var inner = new RecordingHandler(_ => HttpStatusCode.Unauthorized);
        using var client = new HttpClient(new CredentialHandler(source) { InnerHandler = inner });

        using var response = await client.PatchAsync(new Uri("https://api.test/api/x"), new StringContent("[]"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Bearer token-1"], inner.Seen);
        Assert.Equal(1, source.Invalidations);
    }

    [Fact]
    public async Task Success_does_not_invalidate()
    {
        var source = new RotatingSource();
        var inner = new RecordingHandler(_ => HttpStatusCode.OK);
        using var client = new HttpClient(new CredentialHandler(source) { InnerHandler = inner });

        using var response = await client.GetAsync(new Uri("https://api.test/api"));

        Assert.Equal(["Bearer token-1"], inner.Seen);
        Assert.Equal(0, source.Invalidations);
    }
}
