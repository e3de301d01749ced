namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Retry pacing for a <see cref="WorkQueue{TKey}"/>. Defaults follow controller-runtime.</summary>
public sealed class WorkQueueOptions
{
    /// <summary>Delay after the first failure of a key; doubles with each consecutive failure.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Ceiling of the per-key backoff.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1000);

    /// <summary>
    /// Optional overall token bucket across all keys for rate-limited adds (10 in the legacy client-go limiter).
    /// Null (the default) means per-key backoff only.
    /// </summary>
    public double? OverallQps { get; set; }

    /// <summary>Bucket size of the overall limiter; ignored without <see cref="OverallQps"/>.</summary>
    public int OverallBurst { get; set; } = 100;

    /// <summary>Optional observer for depth, adds, retries and latencies.</summary>
    public IWorkQueueMetrics? Metrics { get; set; }
}
