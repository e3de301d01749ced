namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Hooks a <see cref="Watcher{T}"/> calls as it lists and re-watches, with a reason from a small fixed set, so
/// a platform team can tell routine renewals from trouble. Called on the watch loop: keep them cheap.
/// </summary>
public interface IWatcherMetrics
{
    /// <summary>A (re)list started: <c>initial</c>, <c>expired</c> (410 Gone) or <c>list_error</c> (the previous list failed).</summary>
    void Listed(string resource, string reason);

    /// <summary>A watch stream ended and another follows: <c>closed</c> (server timeout), <c>expired</c> (410 Gone) or <c>error</c>.</summary>
    void Restarted(string resource, string reason);
}
