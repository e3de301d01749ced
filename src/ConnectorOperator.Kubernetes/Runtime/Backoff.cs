namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Exponential backoff (×2) with equal jitter, capped. When more than <paramref name="resetAfter"/> passed
/// between resuming and the next failure, the run was healthy and the next delay starts from the beginning.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, TimeSpan? resetAfter = null)
{
    private int _attempt;
    private DateTimeOffset? _resumedAt;

    public TimeSpan Next(DateTimeOffset now)
    {
        if (resetAfter is { } healthy && _resumedAt is { } resumed && now - resumed > healthy) _attempt = 0;
        var delay = Delay(initial, max, _attempt++);
        _resumedAt = now + delay;
        return delay;
    }

    /// <summary>Equal jitter: somewhere between half and all of min(max, initial·2^attempt), so a herd of clients spreads out.</summary>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int attempt)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
