using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.CustomResources;
using ConnectorOperator.LocalCluster.Selectors;

namespace ConnectorOperator.LocalCluster.Storage;

public sealed partial class ObjectStore
{
    private const string ForegroundFinalizer = "foregroundDeletion";

    /// <exception cref="ApiStatusException">404, or 409 Conflict when a precondition fails.</exception>
    public DeleteResult Delete(ResourceType resource, string? ns, string name, DeleteOptions options)
    {
        lock (_gate)
        {
            var old = Find(resource, ns, name) ?? throw NotFound(resource, name);
            if (resource.Group.Length == 0 && resource.Plural == "namespaces" && name is "default" or "kube-system" or "kube-public")
            {
                throw new ApiStatusException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted", StatusObjects.Details(name, string.Empty, "namespaces"));
            }

            if (options.PreconditionUid is { Length: > 0 } uid && uid != ObjectMeta.Uid(old))
            {
                throw StatusObjects.Conflict(resource.QualifiedResource, resource.Group, resource.Plural, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Uid(old)}");
            }

            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != ObjectMeta.ResourceVersion(old))
            {
                throw StatusObjects.Conflict(resource.QualifiedResource, resource.Group, resource.Plural, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(old)}");
            }

            if (options.DryRun)
            {
                return new DeleteResult(Present(resource, old), false);
            }

            var result = DeleteLocked(resource, old, options);
            CollectGarbage();
            return result with { Object = Present(resource, result.Object) };
        }
    }

    /// <summary>Deletes every object the selectors match, one by one, as deletecollection does.</summary>
    public IReadOnlyList<JsonObject> DeleteCollection(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, DeleteOptions options)
    {
        lock (_gate)
        {
            var targets = Table(resource).Values.Where(o => (ns is null || ObjectMeta.Namespace(o) == ns) && labels.Matches(o) && fields.Matches(o)).ToList();
            var results = options.DryRun
                ? targets
                : targets.Select(t => DeleteLocked(resource, t, options).Object).ToList();
            CollectGarbage();
            return [.. results.Select(o => Present(resource, o))];
        }
    }

    private DeleteResult DeleteLocked(ResourceType resource, JsonObject old, DeleteOptions options)
    {
        var policy = options.PropagationPolicy ?? "Background";
        var isPod = resource.Group.Length == 0 && resource.Plural == "pods";
        var next = old.DeepClone().AsObject();
        var meta = ObjectMeta.Metadata(next);
        if (isPod && !_options.PodsTerminateImmediately && next["spec"]?["nodeName"] is JsonValue)
        {
            var grace = options.GracePeriodSeconds
                ?? JsonNumbers.Long(next["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            var current = ObjectMeta.DeletionGracePeriod(old);
            if (grace > 0)
            {
                if (current is not null && current <= grace)
                {
                    return new DeleteResult(old, false);
                }

                meta["deletionTimestamp"] = ObjectMeta.Timestamp(_options.TimeProvider.GetUtcNow().AddSeconds(grace));
                meta["deletionGracePeriodSeconds"] = grace;
                Replace(resource, old, next);
                return new DeleteResult(next, false);
            }
        }

        if (policy == "Orphan")
        {
            Orphan(ObjectMeta.Uid(old)!);
        }

        var finalizers = ObjectMeta.Finalizers(next).ToList();
        if (policy == "Foreground" && !finalizers.Contains(ForegroundFinalizer) && !ObjectMeta.IsDeleting(old))
        {
            finalizers.Add(ForegroundFinalizer);
        }

        var isNamespace = resource.Group.Length == 0 && resource.Plural == "namespaces";
        if (finalizers.Count > 0 || isNamespace)
        {
            ObjectMeta.SetFinalizers(next, finalizers);
            if (meta["deletionTimestamp"] is null)
            {
                meta["deletionTimestamp"] = Now();
            }

            meta["deletionGracePeriodSeconds"] = 0;
            if (isNamespace)
            {
                next["status"] = new JsonObject { ["phase"] = "Terminating" };
            }

            if (ObjectMeta.SameContent(old, next))
            {
                return new DeleteResult(old, false);
            }

            Replace(resource, old, next);
            return new DeleteResult(next, false);
        }

        return new DeleteResult(Remove(resource, next), true);
    }

    private void Orphan(string ownerUid)
    {
        foreach (var (resource, dependent) in AllObjects().Where(x => ObjectMeta.OwnerReferences(x.Obj).Any(r => Uid(r) == ownerUid)).ToList())
        {
            var next = dependent.DeepClone().AsObject();
            var refs = new JsonArray([.. ObjectMeta.OwnerReferences(next).Where(r => Uid(r) != ownerUid).Select(r => (JsonNode)r.DeepClone())]);
            if (refs.Count == 0)
            {
                ObjectMeta.Metadata(next).Remove("ownerReferences");
            }
            else
            {
                ObjectMeta.Metadata(next)["ownerReferences"] = refs;
            }

            Replace(resource, dependent, next);
        }
    }

    /// <summary>
    /// The garbage collector, namespace and CRD cleanup controllers, run to a fixed point after every change that can
    /// leave work: dependents of vanished owners, foreground owners whose blocking dependents are gone, terminating
    /// namespaces and deleted CRDs.
    /// </summary>
    private void CollectGarbage()
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var (resource, obj) in AllObjects().ToList())
            {
                if (Find(resource, ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!) is not { } current || !ReferenceEquals(current, obj))
                {
                    continue;
                }

                changed |= CollectDependent(resource, obj) || FinishForeground(resource, obj) || FinishNamespace(resource, obj) || FinishCrd(resource, obj);
            }
        }
        while (changed);
    }

    private bool CollectDependent(ResourceType resource, JsonObject obj)
    {
        var refs = ObjectMeta.OwnerReferences(obj);
        if (refs.Count == 0 || ObjectMeta.IsDeleting(obj))
        {
            return false;
        }

        var dangling = refs.Where(r => !_uids.ContainsKey(Uid(r))).ToList();
        if (dangling.Count == 0)
        {
            return false;
        }

        if (dangling.Count == refs.Count)
        {
            DeleteLocked(resource, obj, DeleteOptions.Default);
            return true;
        }

        var next = obj.DeepClone().AsObject();
        ObjectMeta.Metadata(next)["ownerReferences"] = new JsonArray([.. refs.Where(r => _uids.ContainsKey(Uid(r))).Select(r => (JsonNode)r.DeepClone())]);
        Replace(resource, obj, next);
        return true;
    }

    private bool FinishForeground(ResourceType resource, JsonObject owner)
    {
        if (!ObjectMeta.IsDeleting(owner) || !ObjectMeta.Finalizers(owner).Contains(ForegroundFinalizer))
        {
            return false;
        }

        var uid = ObjectMeta.Uid(owner)!;
        var dependents = AllObjects().Where(x => ObjectMeta.OwnerReferences(x.Obj).Any(r => Uid(r) == uid)).ToList();
        var changed = false;
        foreach (var (depResource, dependent) in dependents.Where(d => !ObjectMeta.IsDeleting(d.Obj)))
        {
            DeleteLocked(depResource, dependent, new DeleteOptions { PropagationPolicy = "Foreground" });
            changed = true;
        }

        var blocked = AllObjects().Any(x => ObjectMeta.OwnerReferences(x.Obj).Any(r => Uid(r) == uid && r["blockOwnerDeletion"]?.GetValue<bool>() == true));
        if (blocked)
        {
            return changed;
        }

        RemoveFinalizer(resource, owner, ForegroundFinalizer);
        return true;
    }

    private bool FinishNamespace(ResourceType resource, JsonObject ns)
    {
        if (resource.Group.Length != 0 || resource.Plural != "namespaces" || !ObjectMeta.IsDeleting(ns))
        {
            return false;
        }

        var name = ObjectMeta.Name(ns)!;
        var contents = AllObjects().Where(x => x.Resource.Namespaced && ObjectMeta.Namespace(x.Obj) == name).ToList();
        var changed = false;
        foreach (var (contentResource, content) in contents.Where(c => !ObjectMeta.IsDeleting(c.Obj)))
        {
            DeleteLocked(contentResource, content, DeleteOptions.Default);
            changed = true;
        }

        if (contents.Count > 0 && AllObjects().Any(x => x.Resource.Namespaced && ObjectMeta.Namespace(x.Obj) == name))
        {
            return changed;
        }

        var next = ns.DeepClone().AsObject();
        (next["spec"] as JsonObject)?.Remove("finalizers");
        if (ObjectMeta.Finalizers(next).Count == 0)
        {
            Remove(resource, next);
        }
        else if (!ObjectMeta.SameContent(ns, next))
        {
            Replace(resource, ns, next);
        }
        else
        {
            return changed;
        }

        return true;
    }

    private bool FinishCrd(ResourceType resource, JsonObject crd)
    {
        if (!IsCrd(resource) || !ObjectMeta.IsDeleting(crd) || !ObjectMeta.Finalizers(crd).Contains(CrdDefinition.CleanupFinalizer))
        {
            return false;
        }

        var name = ObjectMeta.Name(crd)!;
        var served = _catalog.All.FirstOrDefault(r => r.IsCustom && $"{r.Plural}.{r.Group}" == name);
        var changed = false;
        if (served is not null)
        {
            var instances = Table(served).Values.ToList();
            foreach (var instance in instances.Where(i => !ObjectMeta.IsDeleting(i)))
            {
                DeleteLocked(served, instance, DeleteOptions.Default);
                changed = true;
            }

            if (Table(served).Count > 0)
            {
                return changed;
            }
        }

        RemoveFinalizer(resource, crd, CrdDefinition.CleanupFinalizer);
        return true;
    }

    private void RemoveFinalizer(ResourceType resource, JsonObject obj, string finalizer)
    {
        var next = obj.DeepClone().AsObject();
        ObjectMeta.SetFinalizers(next, ObjectMeta.Finalizers(obj).Where(f => f != finalizer));
        if (ObjectMeta.Finalizers(next).Count == 0 && !AwaitsGracefulTermination(resource, next))
        {
            Remove(resource, next);
        }
        else
        {
            Replace(resource, obj, next);
        }
    }

    private static bool AwaitsGracefulTermination(ResourceType resource, JsonObject obj) =>
        resource.Group.Length == 0 && resource.Plural == "pods" && ObjectMeta.DeletionGracePeriod(obj) > 0;

    private IEnumerable<(ResourceType Resource, JsonObject Obj)> AllObjects()
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

    private static string Uid(JsonObject ownerReference) => ownerReference["uid"]?.GetValue<string>() ?? string.Empty;
}
