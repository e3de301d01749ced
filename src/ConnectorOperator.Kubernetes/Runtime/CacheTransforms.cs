using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Informer transforms that keep caches lean.</summary>
public static class CacheTransforms
{
    /// <summary>
    /// managedFields (server-side apply bookkeeping) are about 40% of what a cached object retains and no
    /// controller reads them from a cache: write paths that need them read the live object.
    /// </summary>
    public static T WithoutManagedFields<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.Metadata is { } meta) meta.ManagedFields = null;
        return obj;
    }
}
