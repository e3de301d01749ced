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
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        _resumedAt = now + delay;
        return delay;
    }

    public void Reset()
    {
        _attempt = 0;
        _resumedAt = null;
    }
}
