namespace ConnectorOperator.Kubernetes.Runtime;

public sealed record WatcherOptions
{
    /// <summary>Null watches all namespaces.</summary>
    public string? Namespace { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeout range. Kept under 240 s: some cloud load balancers drop idle connections there without a reset.</summary>
    public int MinTimeoutSeconds { get; init; } = 180;
    public int MaxTimeoutSeconds { get; init; } = 235;

    /// <summary>A stream that sends nothing for this long beyond its server timeout is treated as hung.</summary>
    public TimeSpan IdleGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Overrides the idle limit entirely (tests of hung connections).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without an error, the next error starts again from <see cref="InitialBackoff"/>.</summary>
    public TimeSpan BackoffResetAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Optional observer of lists and watch restarts (by reason).</summary>
    public IWatcherMetrics? Metrics { get; init; }
}
