using System.Collections.Concurrent;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Controllers;

/// <summary>
/// What this operator wrote for an AgentConnector that the caches have not shown yet: pods it created or deleted,
/// versions of the AgentConnector its own finalizer and status writes replaced, a PodDisruptionBudget it created.
/// Planning on a stale cache could start a second pod for one agent user, or repeat a write the server already has
/// (a refused write is a write too), so a connector waits until its expectations are met (or expire).
/// </summary>
public sealed class CacheExpectations(TimeProvider time)
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<ObjectKey, Pending> _pending = new();
    private readonly ConcurrentDictionary<ObjectKey, Replaced> _replaced = new();
    private readonly ConcurrentDictionary<ObjectKey, DateTimeOffset> _budgets = new();

    private sealed record Replaced(HashSet<string> Versions, DateTimeOffset Since);

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

    /// <summary>A write of the AgentConnector itself (its finalizer, its status) replaced <paramref name="version"/>.</summary>
    public void ExpectReplaced(ObjectKey owner, string? version)
    {
        if (string.IsNullOrEmpty(version)) return;
        var replaced = _replaced.GetOrAdd(owner, _ => new Replaced([], time.GetUtcNow()));
        lock (replaced) replaced.Versions.Add(version);
    }

    /// <summary>
    /// False while the cached AgentConnector is a version this operator's own writes replaced. Versions are only
    /// compared for equality: resourceVersions are opaque, so "older" cannot be asked.
    /// </summary>
    public bool Current(ObjectKey owner, string? cachedVersion)
    {
        if (!_replaced.TryGetValue(owner, out var replaced)) return true;
        lock (replaced)
        {
            if (cachedVersion is not null && replaced.Versions.Contains(cachedVersion) && time.GetUtcNow() - replaced.Since <= Expiry) return false;
            _replaced.TryRemove(owner, out _);
            return true;
        }
    }

    public void ExpectBudget(ObjectKey owner) => _budgets[owner] = time.GetUtcNow();

    /// <summary>True while a budget this operator created is not in the cache yet (so it is not created twice).</summary>
    public bool BudgetPending(ObjectKey owner, bool cached)
    {
        if (!_budgets.TryGetValue(owner, out var since)) return false;
        if (!cached && time.GetUtcNow() - since <= Expiry) return true;
        _budgets.TryRemove(owner, out _);
        return false;
    }

    public void Forget(ObjectKey owner)
    {
        _pending.TryRemove(owner, out _);
        _replaced.TryRemove(owner, out _);
        _budgets.TryRemove(owner, out _);
    }

    private Pending Get(ObjectKey owner) => _pending.GetOrAdd(owner, _ => new Pending([], [], time.GetUtcNow()));
}
