using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>What a <see cref="Watcher{T}"/> reports: a complete relist, or one object changed or gone.</summary>
public abstract record WatcherEvent<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private WatcherEvent() { }

    /// <summary>The full current state after a (re)list: anything not in it no longer exists.</summary>
    public sealed record Restarted(IReadOnlyList<T> Objects) : WatcherEvent<T>;

    public sealed record Applied(T Object) : WatcherEvent<T>;

    public sealed record Deleted(T Object) : WatcherEvent<T>;
}
