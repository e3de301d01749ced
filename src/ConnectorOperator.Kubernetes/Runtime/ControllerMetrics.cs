namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Hooks a <see cref="Controller{T}"/> calls around each reconcile. Called on a worker: keep them cheap.</summary>
public interface IControllerMetrics
{
    /// <param name="result"><c>success</c>, <c>requeue</c> (asked to look again later) or <c>error</c>.</param>
    void Reconciled(string result, TimeSpan duration);

    /// <param name="reason">A small fixed set: the API's reason (Conflict, Forbidden, ...) or the exception type.</param>
    void ReconcileFailed(string reason);
}
