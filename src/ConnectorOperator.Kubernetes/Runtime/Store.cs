using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>One change the store applied: <see cref="Old"/> null means added, <see cref="New"/> null means deleted.</summary>
public readonly record struct StoreChange<T>(T? Old, T? New)
    where T : class, IKubernetesObject<V1ObjectMeta>;

/// <summary>
/// The reflector's cache, read side: objects by namespace/name plus named indexes, read by any number of
/// reconcilers. It has no writing members: only the <see cref="StoreWriter{T}"/> it was made with (held by its
/// informer) changes it. Objects handed out are shared: treat them as read-only.
/// </summary>
public sealed class Store<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> _indexes = [];
    private Dictionary<ObjectKey, T> _objects = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unsyncedScopes = 1;

    internal Store()
    {
    }

    internal void ExpectScopes(int count) => _unsyncedScopes = Math.Max(1, count);

    public Store<T> AddIndex(string name, Func<T, IEnumerable<string>> indexer)
    {
        lock (_lock)
        {
            _indexers[name] = indexer;
            _indexes[name] = [];
            foreach (var (key, obj) in _objects) IndexAdd(name, indexer, key, obj);
        }
        return this;
    }

    /// <summary>True once the first full list has been applied.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public int Count
    {
        get { lock (_lock) return _objects.Count; }
    }

    public T? Get(ObjectKey key)
    {
        lock (_lock) return _objects.GetValueOrDefault(key);
    }

    public T? Get(string? @namespace, string name) => Get(new ObjectKey(@namespace ?? "", name));

    public IReadOnlyList<T> List()
    {
        lock (_lock) return [.. _objects.Values];
    }

    public IReadOnlyList<T> List(string @namespace)
    {
        lock (_lock) return [.. _objects.Values.Where(o => (o.Metadata.NamespaceProperty ?? "") == @namespace)];
    }

    public IReadOnlyList<ObjectKey> Keys()
    {
        lock (_lock) return [.. _objects.Keys];
    }

    public IReadOnlyList<T> ByIndex(string index, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(index, out var entries)) throw new ArgumentException($"no index named '{index}'", nameof(index));
            return entries.TryGetValue(value, out var keys) ? [.. keys.Select(k => _objects[k])] : [];
        }
    }

    internal IReadOnlyList<StoreChange<T>> Apply(WatcherEvent<T> ev, string? scope)
    {
        ArgumentNullException.ThrowIfNull(ev);
        List<StoreChange<T>> changes = [];
        lock (_lock)
        {
            switch (ev)
            {
                case WatcherEvent<T>.Restarted restarted:
                    var fresh = new Dictionary<ObjectKey, T>(restarted.Objects.Count);
                    foreach (var obj in restarted.Objects) fresh[ObjectKey.Of(obj)] = obj;
                    foreach (var (key, old) in _objects)
                    {
                        if (scope is not null && key.Namespace != scope) fresh[key] = old;
                        else if (!fresh.ContainsKey(key)) changes.Add(new(old, null));
                    }
                    foreach (var (key, obj) in fresh)
                    {
                        var old = _objects.GetValueOrDefault(key);
                        if (old is null || old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion) changes.Add(new(old, obj));
                    }
                    _objects = fresh;
                    Reindex();
                    break;
                case WatcherEvent<T>.Applied applied:
                    {
                        var key = ObjectKey.Of(applied.Object);
                        var old = _objects.GetValueOrDefault(key);
                        if (old is not null) IndexRemove(key, old);
                        _objects[key] = applied.Object;
                        IndexAdd(key, applied.Object);
                        changes.Add(new(old, applied.Object));
                        break;
                    }
                case WatcherEvent<T>.Deleted deleted:
                    {
                        var key = ObjectKey.Of(deleted.Object);
                        if (_objects.Remove(key, out var old)) IndexRemove(key, old);
                        changes.Add(new(old ?? deleted.Object, null));
                        break;
                    }
            }
        }
        if (ev is WatcherEvent<T>.Restarted && Interlocked.Decrement(ref _unsyncedScopes) <= 0) _synced.TrySetResult();
        return changes;
    }

    private void Reindex()
    {
        foreach (var index in _indexes.Values) index.Clear();
        foreach (var (key, obj) in _objects) IndexAdd(key, obj);
    }

    private void IndexAdd(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers) IndexAdd(name, indexer, key, obj);
    }

    private void IndexAdd(string name, Func<T, IEnumerable<string>> indexer, ObjectKey key, T obj)
    {
        var index = _indexes[name];
        foreach (var value in indexer(obj))
        {
            if (!index.TryGetValue(value, out var keys)) index[value] = keys = [];
            keys.Add(key);
        }
    }

    private void IndexRemove(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indexes[name];
            foreach (var value in indexer(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0) index.Remove(value);
            }
        }
    }
}

/// <summary>
/// The one writer of a <see cref="Store{T}"/>, made together with it (kube-rs's reflector writer): whoever holds
/// the writer (an <see cref="Informer{T}"/>) feeds the store; everyone else gets <see cref="Store"/>, which cannot write.
/// </summary>
public sealed class StoreWriter<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public Store<T> Store { get; } = new();

    /// <summary>Several watchers (one per namespace) may feed one store; it is synced when each has listed once.</summary>
    public void ExpectScopes(int count) => Store.ExpectScopes(count);

    /// <summary>
    /// Applies a watcher event and returns what changed. A relist is built aside and swapped in whole; objects
    /// that vanished come back as deletes. <paramref name="scope"/> limits a relist to one namespace, for stores
    /// fed by one watcher per namespace (null: the relist covers everything).
    /// </summary>
    public IReadOnlyList<StoreChange<T>> Apply(WatcherEvent<T> ev, string? scope = null) => Store.Apply(ev, scope);
}

/// <summary>Indexers every controller wants.</summary>
public static class StoreIndexes
{
    public const string ControllerUid = "controller-uid";

    /// <summary>The uid of the object's controller (ownerReference with controller=true).</summary>
    public static IEnumerable<string> ByControllerUid(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.ControllerReference() is { Uid: { Length: > 0 } uid } ? [uid] : [];
    }
}
