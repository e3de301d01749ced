namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Hooks a <see cref="WorkQueue{TKey}"/> calls as work moves through it. They are called while the queue holds
/// its lock, so implementations must be cheap and must not call back into the queue (counters, histograms).
/// </summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key was added (including adds that coalesced into an already queued key).</summary>
    void Added();

    /// <summary>A key was re-added through the rate limiter with this delay.</summary>
    void Retried(TimeSpan delay);

    /// <summary>The number of keys waiting (queued or held behind an in-flight run) changed.</summary>
    void DepthChanged(int depth);

    /// <summary>A key was handed to a worker; <paramref name="waited"/> is the time since it became due.</summary>
    void Taken(TimeSpan waited);

    /// <summary>A worker reported a key done after working on it for <paramref name="duration"/>.</summary>
    void Completed(TimeSpan duration);
}
