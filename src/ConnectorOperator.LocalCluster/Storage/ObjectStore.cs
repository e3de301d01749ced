using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Admission;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.CustomResources;
using ConnectorOperator.LocalCluster.Selectors;

namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>
/// All objects of every kind behind one lock, with one global resourceVersion counter, the bounded change history
/// and the open watches. Stored objects are never mutated after commit: every change stores a new object, so
/// events, history and list snapshots can share them.
/// </summary>
public sealed partial class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _tables = [];
    private readonly Dictionary<string, string> _uids = [];
    private readonly List<WatchSubscription> _watchers = [];
    private readonly EventHistory _history;
    private readonly ListSnapshots _snapshots;
    private readonly ResourceCatalog _catalog;
    private readonly ApiServerOptions _options;
    private readonly CustomResourceAdmission _admission;
    private readonly ValidatingAdmissionPolicies _policies;
    private long _rv;
    private bool _aggregating;

    internal ObjectStore(ResourceCatalog catalog, ApiServerOptions options)
    {
        _catalog = catalog;
        _options = options;
        _history = new EventHistory(options.WatchHistorySize);
        _snapshots = new ListSnapshots(options.ListSnapshotCapacity);
        _admission = new CustomResourceAdmission(options.CelEvaluator);
        Authorizer = options.Authorization == AuthorizationMode.Rbac ? new RbacAuthorizer(Scan) : new AlwaysAllowAuthorizer();
        _policies = new ValidatingAdmissionPolicies(Scan, FindByKind, Authorizer, options.CelEvaluator);
    }

    /// <summary>Decides HTTP requests and the authorizer library's checks, from the RBAC objects in this store.</summary>
    public IAuthorizer Authorizer { get; }

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
            lock (_gate)
            {
                rv = _rv;
                items = [.. Table(resource).Values.Where(o => (ns is null || ObjectMeta.Namespace(o) == ns) && labels.Matches(o) && fields.Matches(o))];
            }
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
            var subscription = new WatchSubscription(resource, ns, labels, fields, _options.WatcherBufferSize, Unsubscribe);
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

    private JsonObject? FindByKind(string apiVersion, string kind, string? ns, string name) =>
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

    /// <summary>The form an object written through <paramref name="resource"/> is stored in (itself unless the version converts).</summary>
    private static JsonObject Stored(ResourceType resource, JsonObject written) =>
        resource.Conversion is { } conversion ? conversion.ToStored(written) : written;

    private SortedDictionary<string, JsonObject> Table(ResourceType resource) => Table(resource.StorageKey);

    private SortedDictionary<string, JsonObject> Table(string storageKey)
    {
        if (!_tables.TryGetValue(storageKey, out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _tables[storageKey] = table;
        }

        return table;
    }

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    private JsonObject? Find(ResourceType resource, string? ns, string name) =>
        Table(resource).TryGetValue(Key(resource.Namespaced ? ns : null, name), out var found) ? found : null;

    private string NextResourceVersion() => (++_rv).ToString(CultureInfo.InvariantCulture);

    private void Insert(ResourceType resource, JsonObject obj)
    {
        ObjectMeta.Metadata(obj)["resourceVersion"] = NextResourceVersion();
        Table(resource)[Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!)] = obj;
        _uids[ObjectMeta.Uid(obj)!] = resource.StorageKey;
        Emit(new ChangeEvent(_rv, WatchEventTypes.Added, resource.StorageKey, obj, null));
        AggregateClusterRoles(resource);
    }

    private void Replace(ResourceType resource, JsonObject old, JsonObject obj)
    {
        ObjectMeta.Metadata(obj)["resourceVersion"] = NextResourceVersion();
        Table(resource)[Key(ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!)] = obj;
        Emit(new ChangeEvent(_rv, WatchEventTypes.Modified, resource.StorageKey, obj, old));
        AggregateClusterRoles(resource);
    }

    /// <summary>Removes the object; the DELETED event carries its final state under a new resourceVersion.</summary>
    /// <param name="final">A new object, not stored or shared: it takes the new resourceVersion itself.</param>
    private JsonObject Remove(ResourceType resource, JsonObject final)
    {
        ObjectMeta.Metadata(final)["resourceVersion"] = NextResourceVersion();
        Table(resource).Remove(Key(ObjectMeta.Namespace(final), ObjectMeta.Name(final)!));
        _uids.Remove(ObjectMeta.Uid(final)!);
        Emit(new ChangeEvent(_rv, WatchEventTypes.Deleted, resource.StorageKey, final, null));
        AggregateClusterRoles(resource);
        if (IsCrd(resource))
        {
            Unserve(final);
        }

        return final;
    }

    /// <summary>The clusterrole-aggregation controller, run in line after every ClusterRole change until no rules move.</summary>
    private void AggregateClusterRoles(ResourceType resource)
    {
        if (_aggregating || resource.Group != BuiltInResources.RbacGroup || resource.Plural != "clusterroles")
        {
            return;
        }
        _aggregating = true;
        try
        {
            for (var round = 0; round < 5; round++)
            {
                var changed = false;
                foreach (var role in Table(resource).Values.ToList())
                {
                    if (ClusterRoleAggregation.Recompute(role, [.. Table(resource).Values]) is { } rules)
                    {
                        var next = role.DeepClone().AsObject();
                        next["rules"] = rules;
                        Replace(resource, role, next);
                        changed = true;
                    }
                }
                if (!changed)
                {
                    break;
                }
            }
        }
        finally
        {
            _aggregating = false;
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

    private static bool IsCrd(ResourceType resource) => resource.Group == "apiextensions.k8s.io" && resource.Plural == "customresourcedefinitions";

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
