using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>What <see cref="Finalizers{T}.FinalizeAsync"/> did with an object.</summary>
public enum FinalizeOutcome
{
    /// <summary>Not being deleted: nothing to clean up.</summary>
    NotDeleting,

    /// <summary>Being deleted without our finalizer: someone else's deletion, nothing of ours to do.</summary>
    NotOurs,

    /// <summary>Cleanup ran but is not finished; the finalizer stays (look again later).</summary>
    Pending,

    /// <summary>Cleanup finished and the finalizer was removed: the API server may now delete the object.</summary>
    Removed,

    /// <summary>The object changed under us (or is gone); plan again from the cache.</summary>
    Conflict,
}

/// <summary>
/// One controller's finalizer on objects of one kind: added on first sight, held while the object is deleted until
/// the cleanup says it is done, then removed. Every change is a JSON patch guarded by a test of the list it replaces
/// (or of the resourceVersion when there is no list yet), so another controller's finalizers are never overwritten
/// and a stale cache loses the race instead of writing.
/// </summary>
public sealed class Finalizers<T>(KubernetesClient client, ResourceType type, string finalizer)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public string Name => finalizer;

    public bool IsOn(T obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.HasFinalizer(finalizer);
    }

    /// <summary>
    /// Puts the finalizer on a live object. Returns the object to go on with (the server's answer carries the new
    /// resourceVersion, so a status write in the same pass does not conflict), or null when the patch lost a race.
    /// </summary>
    public async Task<T?> AddAsync(T obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (IsOn(obj)) return obj;
        return await TryPatchAsync(obj, [.. obj.Metadata.Finalizers ?? [], finalizer], cancellationToken);
    }

    /// <summary>Takes the finalizer off, leaving any others; true when it is off (or was never on).</summary>
    public async Task<bool> RemoveAsync(T obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!IsOn(obj)) return true;
        return await TryPatchAsync(obj, [.. obj.Metadata.Finalizers!.Where(f => f != finalizer)], cancellationToken) is not null;
    }

    /// <summary>
    /// For an object being deleted: runs <paramref name="cleanup"/> (true = done) and, once it is done, removes the
    /// finalizer. Exceptions from the cleanup propagate (the controller backs off and tries again).
    /// </summary>
    public async Task<FinalizeOutcome> FinalizeAsync(T obj, Func<CancellationToken, Task<bool>> cleanup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(cleanup);
        if (obj.Metadata.DeletionTimestamp is null) return FinalizeOutcome.NotDeleting;
        if (!IsOn(obj)) return FinalizeOutcome.NotOurs;
        if (!await cleanup(cancellationToken)) return FinalizeOutcome.Pending;
        return await RemoveAsync(obj, cancellationToken) ? FinalizeOutcome.Removed : FinalizeOutcome.Conflict;
    }

    private async Task<T?> TryPatchAsync(T obj, List<string> finalizers, CancellationToken cancellationToken)
    {
        var builder = new JsonPatchBuilder();
        if (obj.Metadata.Finalizers is { } current)
            builder.Test("/metadata/finalizers", Strings(current));
        else
            builder.Test("/metadata/resourceVersion", JsonValue.Create(obj.Metadata.ResourceVersion));
        builder.Add("/metadata/finalizers", Strings(finalizers));
        try
        {
            return await client.PatchAsync<T>(type, obj.Metadata.NamespaceProperty, obj.Metadata.Name!, builder.Build(), null, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsInvalid || e.IsNotFound)
        {
            // A failed test op is 422 (Invalid); the object changed since the cache saw it.
            return null;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
