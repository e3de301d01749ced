namespace ConnectorOperator.Connector.Cloud;

/// <summary>
/// Exponential backoff with jitter, capped. Reconnecting too often can get a client blocked as
/// abusive, and several connectors failing together must not retry in lockstep.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _attempt;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        _initial = initial;
        _max = max < initial ? initial : max;
        _random = random ?? Random.Shared;
    }

    /// <summary>The wait before the next attempt: initial × 2^attempt (capped), ±20 % jitter.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt, 30);
        _attempt++;
        var raw = Math.Min(_max.TotalMilliseconds, _initial.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = raw * (0.8 + (0.4 * _random.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _max.TotalMilliseconds));
    }

    /// <summary>
    /// The wait before reconnecting after a connection that was up since <paramref name="upSince"/> (null: it never
    /// came up). A connection that outlived twice the wait it would get proved stable, so the backoff starts over.
    /// </summary>
    public TimeSpan NextAfter(DateTimeOffset? upSince, DateTimeOffset now)
    {
        var delay = Next();
        if (upSince is { } at && now - at > 2 * delay)
        {
            Reset();
            delay = Next();
        }
        return delay;
    }

    public void Reset() => _attempt = 0;
}
