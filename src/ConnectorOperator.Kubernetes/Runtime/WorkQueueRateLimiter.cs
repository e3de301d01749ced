namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Retry delays for a work queue: per-key exponential backoff, optionally combined with an overall token bucket
/// (the larger delay wins). Not thread-safe: the owning queue calls it under its lock.
/// </summary>
internal sealed class WorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly double? _qps;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public WorkQueueRateLimiter(WorkQueueOptions options, TimeProvider time, IEqualityComparer<TKey>? comparer)
    {
        if (options.BaseDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "BaseDelay must not be negative");
        if (options.MaxDelay < options.BaseDelay) throw new ArgumentOutOfRangeException(nameof(options), "MaxDelay must be at least BaseDelay");
        if (options.OverallQps is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "OverallQps must be positive when set");
        _failures = new Dictionary<TKey, int>(comparer);
        _baseDelay = options.BaseDelay;
        _maxDelay = options.MaxDelay;
        _qps = options.OverallQps;
        _burst = Math.Max(1, options.OverallBurst);
        _time = time;
        _tokens = _burst;
        _refilledAt = time.GetTimestamp();
    }

    public int Failures(TKey key) => _failures.GetValueOrDefault(key);

    public void Forget(TKey key) => _failures.Remove(key);

    public void Reset() => _failures.Clear();

    /// <summary>Counts one more failure of <paramref name="key"/> and returns how long it should wait.</summary>
    public TimeSpan NextDelay(TKey key)
    {
        var failures = _failures.GetValueOrDefault(key);
        _failures[key] = failures == int.MaxValue ? failures : failures + 1;
        var perKey = Backoff(failures);
        var overall = ReserveToken();
        return perKey > overall ? perKey : overall;
    }

    private TimeSpan Backoff(int previousFailures)
    {
        // Doubles in floating point so that a long failure streak saturates at the cap instead of overflowing.
        var ticks = _baseDelay.Ticks * Math.Pow(2, previousFailures);
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Takes a token, going into debt when the bucket is empty; the debt is the wait.</summary>
    private TimeSpan ReserveToken()
    {
        if (_qps is not { } qps) return TimeSpan.Zero;
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * qps);
        _refilledAt = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / qps);
    }
}
