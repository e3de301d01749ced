using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// A named filter of store changes (controller-runtime's predicates): true lets the change wake a reconcile. The
/// name says in logs and tests why a change was dropped.
/// </summary>
public sealed record ChangePredicate<T>(string Name, Func<StoreChange<T>, bool> Matches)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Both must let the change through.</summary>
    public ChangePredicate<T> And(ChangePredicate<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new($"{Name} and {other.Name}", change => Matches(change) && other.Matches(change));
    }

    /// <summary>Either may let the change through.</summary>
    public ChangePredicate<T> Or(ChangePredicate<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new($"{Name} or {other.Name}", change => Matches(change) || other.Matches(change));
    }

    public override string ToString() => Name;
}

/// <summary>The predicates controllers use. Adds and deletes always pass; they differ on updates.</summary>
public static class ChangePredicates
{
    /// <summary>Every change.</summary>
    public static ChangePredicate<T> Any<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> => new("any", _ => true);

    /// <summary>Updates that bump metadata.generation (a spec change, for kinds with a status subresource).</summary>
    public static ChangePredicate<T> GenerationChanged<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new("generation-changed", c => Updated(c, (a, b) => a.Generation != b.Generation || a.Generation is null));

    public static ChangePredicate<T> LabelsChanged<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new("labels-changed", c => Updated(c, (a, b) => !SameMap(a.Labels, b.Labels)));

    public static ChangePredicate<T> AnnotationsChanged<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new("annotations-changed", c => Updated(c, (a, b) => !SameMap(a.Annotations, b.Annotations)));

    /// <summary>Deletion started (deletionTimestamp set) or the finalizers changed.</summary>
    public static ChangePredicate<T> DeletionOrFinalizersChanged<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new("deletion-or-finalizers-changed", c => Updated(c, (a, b) => a.DeletionTimestamp != b.DeletionTimestamp || !SameList(a.Finalizers, b.Finalizers)));

    /// <summary>
    /// The primary kind's default: skips status-only updates (same generation, same labels, annotations, finalizers
    /// and deletion state), which the reconciler itself causes when it writes status.
    /// </summary>
    public static ChangePredicate<T> IgnoreStatusOnlyUpdates<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        GenerationChanged<T>().Or(LabelsChanged<T>()).Or(AnnotationsChanged<T>()).Or(DeletionOrFinalizersChanged<T>()) with { Name = "ignore-status-only-updates" };

    /// <summary>Adds and deletes pass; an update passes when <paramref name="changed"/> says so of old and new metadata.</summary>
    private static bool Updated<T>(StoreChange<T> change, Func<V1ObjectMeta, V1ObjectMeta, bool> changed)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        change.Old is null || change.New is null || changed(change.Old.Metadata, change.New.Metadata);

    private static bool SameList(IList<string>? a, IList<string>? b) =>
        (a is null || a.Count == 0) ? (b is null || b.Count == 0) : b is not null && a.SequenceEqual(b);

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if (a is null || a.Count == 0) return b is null || b.Count == 0;
        if (b is null || a.Count != b.Count) return false;
        foreach (var (k, v) in a)
        {
            if (!b.TryGetValue(k, out var w) || w != v) return false;
        }
        return true;
    }
}
