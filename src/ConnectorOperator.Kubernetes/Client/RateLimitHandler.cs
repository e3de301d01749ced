using System.Threading.RateLimiting;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>The optional client-side QPS/burst limit: every attempt (retries and watches included) takes a token.</summary>
internal sealed class RateLimitHandler : DelegatingHandler
{
    private readonly TokenBucketRateLimiter _limiter;

    public RateLimitHandler(double queriesPerSecond, int burst)
    {
        // Refill about ten times a second, never less than one token at a time.
        var tokensPerPeriod = Math.Max(1, (int)Math.Ceiling(queriesPerSecond / 10));
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / queriesPerSecond),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (await _limiter.AcquireAsync(1, cancellationToken))
        {
        }
        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _limiter.Dispose();
        base.Dispose(disposing);
    }
}
