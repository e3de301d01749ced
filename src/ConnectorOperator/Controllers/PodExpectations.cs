using System.Collections.Concurrent;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Pods this operator created or deleted that the cache has not caught up with yet. Planning on a stale cache
/// could start a second pod for one agent user, so a connector waits until its expectations are met (or expire).
/// </summary>
public sealed class PodExpectations(TimeProvider time)
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<ObjectKey, Pending> _pending = new();

    private sealed record Pending(HashSet<string> Creates, HashSet<string> Deletes, DateTimeOffset Since);

    public void ExpectCreate(ObjectKey owner, string podName)
    {
        var pending = Get(owner);
        lock (pending) pending.Creates.Add(podName);
    }

    public void ExpectDelete(ObjectKey owner, string podName)
    {
        var pending = Get(owner);
        lock (pending) pending.Deletes.Add(podName);
    }

    /// <summary>True when the cache shows every expected create and no longer shows any expected delete as live.</summary>
    public bool Satisfied(ObjectKey owner, Func<string, V1Pod?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (!_pending.TryGetValue(owner, out var pending)) return true;
        lock (pending)
        {
            pending.Creates.RemoveWhere(name => lookup(name) is not null);
            pending.Deletes.RemoveWhere(name => lookup(name) is not { Metadata.DeletionTimestamp: null });
            if ((pending.Creates.Count == 0 && pending.Deletes.Count == 0) || time.GetUtcNow() - pending.Since > Expiry)
            {
                _pending.TryRemove(owner, out _);
                return true;
            }
            return false;
        }
    }

    /// <summary>A create the server refused: the cache will never show that pod, but the other expectations stand.</summary>
    public void CreateFailed(ObjectKey owner, string podName)
    {
        if (!_pending.TryGetValue(owner, out var pending)) return;
        lock (pending) pending.Creates.Remove(podName);
    }

    public void Forget(ObjectKey owner) => _pending.TryRemove(owner, out _);

    private Pending Get(ObjectKey owner) => _pending.GetOrAdd(owner, _ => new Pending([], [], time.GetUtcNow()));
}
