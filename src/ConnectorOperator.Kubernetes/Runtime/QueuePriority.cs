namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>The order of due keys on a <see cref="WorkQueue{TKey}"/>: high first, then by due time.</summary>
public enum QueuePriority
{
    /// <summary>Changes of the primary objects themselves and of what they read, the initial list, requeues and retries.</summary>
    Normal = 0,

    /// <summary>News about work under way: an owned object moved, a running connector's report changed.</summary>
    High = 1,
}
