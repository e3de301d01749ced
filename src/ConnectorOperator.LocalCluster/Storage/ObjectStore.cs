using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Selectors;

namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>
/// All objects of every kind behind one lock, with one global resourceVersion counter, the bounded change history
/// and the open watches. Stored objects are never mutated after commit: every change stores a new object, so
/// events, history and list snapshots can share them. This layer reads and watches; the write pipeline
/// (<c>Writes</c>) and the garbage collector decide what to change and commit it through the internal members
/// below, inside <see cref="Locked{T}"/>.
/// </summary>
public sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _tables = [];
    private readonly Dictionary<string, string> _uids = [];
    private readonly List<WatchSubscription> _watchers = [];
    private readonly EventHistory _history;
    private readonly ListSnapshots _snapshots;
    private readonly ResourceCatalog _catalog;
    private readonly int _watcherBufferSize;
    private readonly List<Action<ResourceType>> _changeHooks = [];
    private long _rv;

    /// <param name="historySize">How many recent changes a watch can resume from.</param>
    /// <param name="snapshotCapacity">How many paged-list snapshots are kept for continue tokens.</param>
    /// <param name="watcherBufferSize">How many events a watcher may have queued before its stream is closed.</param>
    internal ObjectStore(ResourceCatalog catalog, int historySize, int snapshotCapacity, int watcherBufferSize)
    {
        _catalog = catalog;
        _watcherBufferSize = watcherBufferSize;
        _history = new EventHistory(historySize);
        _snapshots = new ListSnapshots(snapshotCapacity);
    }

    public ResourceCatalog Catalog => _catalog;

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    public JsonObject? Get(ResourceType resource, string? ns, string name)
    {
        lock (_gate)
        {
            return Find(resource, ns, name) is { } found ? Present(resource, found) : null;
        }
    }

    /// <exception cref="ApiStatusException">400 for a malformed continue token, 410 Expired for an evicted one.</exception>
    public ListResult List(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        long rv;
        IReadOnlyList<JsonObject> items;
        var start = 0;
        string? snapshot = null;
        var owner = $"{resource.StorageKey}|{ns}|{labels}|{fields}";
        if (!string.IsNullOrEmpty(continueToken))
        {
            (rv, snapshot, start, items) = _snapshots.Resolve(continueToken, owner);
        }
        else
        {
            JsonObject[] all;
            lock (_gate)
            {
                rv = _rv;
                all = [.. Table(resource).Values];
            }
            // Committed objects never change, so the selectors run outside the lock that every write takes.
            items = [.. all.Where(o => (ns is null || ObjectMeta.Namespace(o) == ns) && labels.Matches(o) && fields.Matches(o))];
        }

        var count = limit > 0 ? Math.Min(limit, Math.Max(0, items.Count - start)) : Math.Max(0, items.Count - start);
        var page = items.Skip(start).Take(count).Select(o => Present(resource, o)).ToList();
        var next = start + count;
        if (next >= items.Count)
        {
            return new ListResult(page, rv, null, null);
        }

        snapshot ??= _snapshots.Keep(owner, items);
        return new ListResult(page, rv, ListSnapshots.Token(rv, snapshot, next), items.Count - next);
    }

    /// <summary>Opens a watch: current state as ADDED for "" or "0", otherwise a replay of the history after <paramref name="resourceVersion"/>.</summary>
    /// <exception cref="WatchExpiredException">When the resourceVersion is older than the history holds.</exception>
    public WatchSubscription Watch(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        long? from = null;
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            from = long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw StatusObjects.BadRequest($"invalid resource version: \"{resourceVersion}\"");
        }

        lock (_gate)
        {
            var subscription = new WatchSubscription(resource, ns, labels, fields, _watcherBufferSize, Unsubscribe);
            if (from is null)
            {
                foreach (var obj in Table(resource).Values.Where(subscription.Matches))
                {
                    subscription.Push(new WatchEvent(WatchEventTypes.Added, obj));
                }
            }
            else if (from < _history.Floor)
            {
                throw new WatchExpiredException($"too old resource version: {from} ({_history.Floor + 1})");
            }
            else
            {
                foreach (var change in _history.After(from.Value))
                {
                    subscription.Offer(change);
                }
            }

            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion behind every event already queued for this watcher.</summary>
    public void RequestBookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.Push(new WatchEvent(WatchEventTypes.Bookmark, new JsonObject
            {
                ["kind"] = subscription.Resource.Kind,
                ["apiVersion"] = subscription.Resource.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture) },
            }));
        }
    }

    /// <summary>The stored objects of a kind, not copied: committed objects are never mutated, so readers may keep them.</summary>
    internal IReadOnlyList<JsonObject> Scan(ResourceType resource)
    {
        lock (_gate)
        {
            return [.. Table(resource).Values];
        }
    }

    internal JsonObject? FindByKind(string apiVersion, string kind, string? ns, string name) =>
        _catalog.FindByKind(apiVersion, kind) is { } resource ? Get(resource, ns, name) : null;

    /// <summary>A copy of the stored object as the client sees it at <paramref name="resource"/>'s version.</summary>
    public static JsonObject Present(ResourceType resource, JsonObject stored)
    {
        if (resource.Conversion is { } conversion)
        {
            return conversion.FromStored(stored);
        }

        var result = new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind };
        foreach (var (key, value) in stored)
        {
            if (key is not ("apiVersion" or "kind"))
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }

    // The write side. Every member below is called inside Locked, so a read-check-write is atomic.

    /// <summary>Runs <paramref name="change"/> under the store's lock (re-entrant).</summary>
    internal T Locked<T>(Func<T> change)
    {
        lock (_gate)
        {
            return change();
        }
    }

    /// <summary>
    /// An in-line controller (the clusterrole aggregator): called under the lock after every committed change of a
    /// resource, it may commit changes of its own.
    /// </summary>
    internal void OnChange(Action<ResourceType> hook) => _changeHooks.Add(hook);

    /// <summary>The form an object written through <paramref name="resource"/> is stored in (itself unless the version converts).</summary>
    internal static JsonObject Stored(ResourceType resource, JsonObject written) =>
        resource.Conversion is { } conversion ? conversion.ToStored(written) : written;

    internal JsonObject? Find(ResourceType resource, string? ns, string name) =>
        Table(resource).TryGetValue(Key(resource.Namespaced ? ns : null, name), out var found) ? found : null;

    /// <summary>The stored objects of a kind, live: copy before committing changes to them.</summary>
    internal IReadOnlyCollection<JsonObject> Objects(ResourceType resource) => Table(resource).Values;

    /// <summary>Every stored object with the resource it is stored under.</summary>
    internal IEnumerable<(ResourceType Resource, JsonObject Obj)> AllObjects()
    {
        var byKey = _catalog.All.GroupBy(r => r.StorageKey).ToDictionary(g => g.Key, g => g.First());
        foreach (var (key, table) in _tables)
        {
            if (byKey.TryGetValue(key, out var resource))
            {
                foreach (var obj in table.Values)
                {
                    yield return (resource, obj);
                }
            }
        }
    }

    /// <summary>Whether an object with this uid is stored (owner references resolve by uid).</summary>
    internal bool Exists(string uid) => _uids.ContainsKey(uid);

    internal void Insert(ResourceType resource, JsonObject obj)
    {
        ObjectMeta.Metadata(obj)["resourceVersion"] = NextResourceVersion();
        Table(resource)[Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!)] = obj;
        _uids[ObjectMeta.Uid(obj)!] = resource.StorageKey;
        Emit(new ChangeEvent(_rv, WatchEventTypes.Added, resource.StorageKey, obj, null));
        Changed(resource);
    }

    internal void Replace(ResourceType resource, JsonObject old, JsonObject obj)
    {
        ObjectMeta.Metadata(obj)["resourceVersion"] = NextResourceVersion();
        Table(resource)[Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!)] = obj;
        Emit(new ChangeEvent(_rv, WatchEventTypes.Modified, resource.StorageKey, obj, old));
        Changed(resource);
    }

    /// <summary>Removes the object; the DELETED event carries its final state under a new resourceVersion.</summary>
    /// <param name="final">A new object, not stored or shared: it takes the new resourceVersion itself.</param>
    internal JsonObject Remove(ResourceType resource, JsonObject final)
    {
        ObjectMeta.Metadata(final)["resourceVersion"] = NextResourceVersion();
        Table(resource).Remove(Key(ObjectMeta.Namespace(final), ObjectMeta.Name(final)!));
        _uids.Remove(ObjectMeta.Uid(final)!);
        Emit(new ChangeEvent(_rv, WatchEventTypes.Deleted, resource.StorageKey, final, null));
        Changed(resource);
        if (CrdDefinition.IsDefinition(resource))
        {
            Unserve(final);
        }

        return final;
    }

    private SortedDictionary<string, JsonObject> Table(ResourceType resource)
    {
        if (!_tables.TryGetValue(resource.StorageKey, out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _tables[resource.StorageKey] = table;
        }

        return table;
    }

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    private string NextResourceVersion() => (++_rv).ToString(CultureInfo.InvariantCulture);

    private void Changed(ResourceType resource)
    {
        foreach (var hook in _changeHooks)
        {
            hook(resource);
        }
    }

    private void Emit(ChangeEvent change)
    {
        _history.Add(change);
        foreach (var watcher in _watchers)
        {
            watcher.Offer(change);
        }
    }

    /// <summary>A deleted CRD's resources stop being served: their watches end and their objects are gone.</summary>
    private void Unserve(JsonObject crd)
    {
        var name = ObjectMeta.Name(crd)!;
        var storageKeys = _catalog.All.Where(r => r.IsCustom && $"{r.Plural}.{r.Group}" == name).Select(r => r.StorageKey).ToHashSet();
        _catalog.RemoveCustom(name);
        foreach (var watcher in _watchers.Where(w => storageKeys.Contains(w.Resource.StorageKey)).ToList())
        {
            watcher.Close();
        }

        foreach (var key in storageKeys)
        {
            _tables.Remove(key);
        }
    }
}
