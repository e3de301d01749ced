using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Level-based reconcile of one primary object. <paramref name="obj"/> is the cache's latest copy, or null once it is gone.</summary>
public interface IReconciler<in T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, T? obj, CancellationToken cancellationToken);
}

/// <summary>Done, or look again after a while. Failures are exceptions: the controller backs off per key.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
