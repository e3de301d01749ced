namespace ConnectorOperator.LocalCluster.Faults;

/// <summary>
/// Breaks the double on purpose, at the HTTP level: failing requests, latency, and watch-stream faults
/// (cut all streams, force 410 Gone, stall). Thread-safe; changes apply to requests that start afterwards,
/// and cut/stall also to open watches.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Queue<WatchGoneStyle> _forcedGone = new();
    private readonly HashSet<OpenWatch> _openWatches = [];
    private long _latencyTicks;
    private long _delayedRequests;
    private int _goneAsErrorEvent;
    private int _goneAsHttpStatus;
    private long _jitterTicks;
    private volatile bool _stalled;

    /// <summary>Random source for fractional rules; replace with a seeded one for repeatable runs.</summary>
    public Random Random { get; set; } = Random.Shared;

    /// <summary>Delay added before every request is handled.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Up to this much more, drawn per request (uniformly), on top of <see cref="Latency"/>: a slow and uneven server.</summary>
    public TimeSpan LatencyJitter
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _jitterTicks));
        set => Interlocked.Exchange(ref _jitterTicks, value.Ticks);
    }

    /// <summary>While true, open and new watches keep their connection but send nothing (no events, no bookmarks).</summary>
    public bool WatchesStalled
    {
        get => _stalled;
        set => _stalled = value;
    }

    /// <summary>Watch streams currently open.</summary>
    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _openWatches.Count;
            }
        }
    }

    /// <summary>Requests that waited out an injected latency (for reports of what a run injected).</summary>
    public long DelayedRequests => Interlocked.Read(ref _delayedRequests);

    /// <summary>Forced 410s served so far, in the given style.</summary>
    public int GoneServed(WatchGoneStyle style)
    {
        lock (_gate)
        {
            return style == WatchGoneStyle.ErrorEvent ? _goneAsErrorEvent : _goneAsHttpStatus;
        }
    }

    /// <summary>Fails <paramref name="fraction"/> of matching requests with <paramref name="statusCode"/>; 429 and 503 carry Retry-After.</summary>
    /// <param name="count">Stop after this many failures (null = until removed).</param>
    public FaultRule FailRequests(double fraction, int statusCode = 500, string? method = null, string? pathContains = null, int retryAfterSeconds = 1, int? count = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var rule = new FaultRule(fraction, statusCode, method, pathContains, retryAfterSeconds, count);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Fails exactly the next <paramref name="count"/> matching requests.</summary>
    public FaultRule FailNext(int count, int statusCode = 500, string? method = null, string? pathContains = null, int retryAfterSeconds = 1) =>
        FailRequests(1, statusCode, method, pathContains, retryAfterSeconds, count);

    public void Remove(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Remove(rule);
        }
    }

    /// <summary>Ends every open watch stream now by aborting its connection (no clean end of stream); returns how many.</summary>
    public int CutWatches()
    {
        var open = Snapshot();
        foreach (var watch in open)
        {
            watch.Abort();
        }

        return open.Length;
    }

    /// <summary>Ends every open watch stream now, cleanly (as when timeoutSeconds elapses); returns how many.</summary>
    public int EndWatches()
    {
        var open = Snapshot();
        foreach (var watch in open)
        {
            watch.End();
        }

        return open.Length;
    }

    /// <summary>The next <paramref name="count"/> watch requests get "too old resource version" (410 Expired).</summary>
    public void ForceWatchGone(WatchGoneStyle style = WatchGoneStyle.ErrorEvent, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _forcedGone.Enqueue(style);
            }
        }
    }

    /// <summary>Removes all rules, latency, stall and pending forced 410s.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _forcedGone.Clear();
        }

        Latency = TimeSpan.Zero;
        LatencyJitter = TimeSpan.Zero;
        WatchesStalled = false;
    }

    /// <summary>The delay for one request: <see cref="Latency"/> plus its share of <see cref="LatencyJitter"/>.</summary>
    internal TimeSpan NextLatency()
    {
        var jitter = Interlocked.Read(ref _jitterTicks);
        if (jitter <= 0 && Latency <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        Interlocked.Increment(ref _delayedRequests);
        if (jitter <= 0)
        {
            return Latency;
        }

        lock (_gate)
        {
            return Latency + TimeSpan.FromTicks((long)(Random.NextDouble() * jitter));
        }
    }

    internal FaultRule? PickFailure(string method, string path)
    {
        lock (_gate)
        {
            return _rules.FirstOrDefault(r => r.Matches(method, path) && r.TryFire(Random));
        }
    }

    internal WatchGoneStyle? TakeForcedGone()
    {
        lock (_gate)
        {
            if (_forcedGone.Count == 0)
            {
                return null;
            }

            var style = _forcedGone.Dequeue();
            _ = style == WatchGoneStyle.ErrorEvent ? ++_goneAsErrorEvent : ++_goneAsHttpStatus;
            return style;
        }
    }

    /// <summary>Registers an open watch with how to abort and how to end it. Dispose the result when the watch ends.</summary>
    internal IDisposable WatchOpened(Action abort, Action end)
    {
        var watch = new OpenWatch(this, abort, end);
        lock (_gate)
        {
            _openWatches.Add(watch);
        }

        return watch;
    }

    private OpenWatch[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _openWatches];
        }
    }

    private sealed class OpenWatch(FaultInjector owner, Action abort, Action end) : IDisposable
    {
        public void Abort() => abort();

        public void End() => end();

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._openWatches.Remove(this);
            }
        }
    }
}
