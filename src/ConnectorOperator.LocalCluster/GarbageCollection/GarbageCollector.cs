using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Storage;

namespace ConnectorOperator.LocalCluster.GarbageCollection;

/// <summary>
/// What a delete does to one object (graceful pod termination, finalizers, propagation policy), and the garbage
/// collector, namespace and CRD cleanup controllers run in line after writes. Called under the store's lock.
/// </summary>
/// <param name="podsTerminateImmediately">False when a kubelet finishes the termination of scheduled pods.</param>
internal sealed class GarbageCollector(ObjectStore store, TimeProvider time, bool podsTerminateImmediately)
{
    private const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>Pods with a grace period stay, marked for deletion, until their kubelet deletes them again with zero.</summary>
    public static bool AwaitsGracefulTermination(ResourceType resource, JsonObject obj) =>
        resource.Group.Length == 0 && resource.Plural == "pods" && ObjectMeta.DeletionGracePeriod(obj) > 0;

    /// <summary>Deletes <paramref name="old"/> as far as it may go now; Removed is false while finalizers or a grace period hold it.</summary>
    /// <param name="propagationPolicy">Background (null), Foreground or Orphan.</param>
    public (JsonObject Object, bool Removed) Delete(ResourceType resource, JsonObject old, long? gracePeriodSeconds = null, string? propagationPolicy = null)
    {
        var policy = propagationPolicy ?? "Background";
        var isPod = resource.Group.Length == 0 && resource.Plural == "pods";
        var next = old.DeepClone().AsObject();
        var meta = ObjectMeta.Metadata(next);
        if (isPod && !podsTerminateImmediately && next["spec"]?["nodeName"] is JsonValue)
        {
            var grace = gracePeriodSeconds
                ?? JsonNumbers.Long(next["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            var current = ObjectMeta.DeletionGracePeriod(old);
            if (grace > 0)
            {
                if (current is not null && current <= grace)
                {
                    return (old, false);
                }

                meta["deletionTimestamp"] = ObjectMeta.Timestamp(time.GetUtcNow().AddSeconds(grace));
                meta["deletionGracePeriodSeconds"] = grace;
                store.Replace(resource, old, next);
                return (next, false);
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
                meta["deletionTimestamp"] = ObjectMeta.Timestamp(time.GetUtcNow());
            }

            meta["deletionGracePeriodSeconds"] = 0;
            if (isNamespace)
            {
                next["status"] = new JsonObject { ["phase"] = "Terminating" };
            }

            if (ObjectMeta.SameContent(old, next))
            {
                return (old, false);
            }

            store.Replace(resource, old, next);
            return (next, false);
        }

        return (store.Remove(resource, next), true);
    }

    private void Orphan(string ownerUid)
    {
        foreach (var (resource, dependent) in store.AllObjects().Where(x => ObjectMeta.OwnerReferences(x.Obj).Any(r => Uid(r) == ownerUid)).ToList())
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

            store.Replace(resource, dependent, next);
        }
    }

    /// <summary>
    /// The garbage collector, namespace and CRD cleanup controllers, run to a fixed point after every change that can
    /// leave work: dependents of vanished owners, foreground owners whose blocking dependents are gone, terminating
    /// namespaces and deleted CRDs.
    /// </summary>
    public void Collect()
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var (resource, obj) in store.AllObjects().ToList())
            {
                if (store.Find(resource, ObjectMeta.Namespace(obj), ObjectMeta.Name(obj)!) is not { } current || !ReferenceEquals(current, obj))
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

        var dangling = refs.Where(r => !store.Exists(Uid(r))).ToList();
        if (dangling.Count == 0)
        {
            return false;
        }

        if (dangling.Count == refs.Count)
        {
            Delete(resource, obj);
            return true;
        }

        var next = obj.DeepClone().AsObject();
        ObjectMeta.Metadata(next)["ownerReferences"] = new JsonArray([.. refs.Where(r => store.Exists(Uid(r))).Select(r => (JsonNode)r.DeepClone())]);
        store.Replace(resource, obj, next);
        return true;
    }

    private bool FinishForeground(ResourceType resource, JsonObject owner)
    {
        if (!ObjectMeta.IsDeleting(owner) || !ObjectMeta.Finalizers(owner).Contains(ForegroundFinalizer))
        {
            return false;
        }

        var uid = ObjectMeta.Uid(owner)!;
        var dependents = store.AllObjects().Where(x => ObjectMeta.OwnerReferences(x.Obj).Any(r => Uid(r) == uid)).ToList();
        var changed = false;
        foreach (var (depResource, dependent) in dependents.Where(d => !ObjectMeta.IsDeleting(d.Obj)))
        {
            Delete(depResource, dependent, propagationPolicy: "Foreground");
            changed = true;
        }

        var blocked = store.AllObjects().Any(x => ObjectMeta.OwnerReferences(x.Obj).Any(r => Uid(r) == uid && r["blockOwnerDeletion"]?.GetValue<bool>() == true));
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
        var contents = store.AllObjects().Where(x => x.Resource.Namespaced && ObjectMeta.Namespace(x.Obj) == name).ToList();
        var changed = false;
        foreach (var (contentResource, content) in contents.Where(c => !ObjectMeta.IsDeleting(c.Obj)))
        {
            Delete(contentResource, content);
            changed = true;
        }

        if (contents.Count > 0 && store.AllObjects().Any(x => x.Resource.Namespaced && ObjectMeta.Namespace(x.Obj) == name))
        {
            return changed;
        }

        var next = ns.DeepClone().AsObject();
        (next["spec"] as JsonObject)?.Remove("finalizers");
        if (ObjectMeta.Finalizers(next).Count == 0)
        {
            store.Remove(resource, next);
        }
        else if (!ObjectMeta.SameContent(ns, next))
        {
            store.Replace(resource, ns, next);
        }
        else
        {
            return changed;
        }

        return true;
    }

    private bool FinishCrd(ResourceType resource, JsonObject crd)
    {
        if (!CrdDefinition.IsDefinition(resource) || !ObjectMeta.IsDeleting(crd) || !ObjectMeta.Finalizers(crd).Contains(CrdDefinition.CleanupFinalizer))
        {
            return false;
        }

        var name = ObjectMeta.Name(crd)!;
        var served = store.Catalog.All.FirstOrDefault(r => r.IsCustom && $"{r.Plural}.{r.Group}" == name);
        var changed = false;
        if (served is not null)
        {
            var instances = store.Objects(served).ToList();
            foreach (var instance in instances.Where(i => !ObjectMeta.IsDeleting(i)))
            {
                Delete(served, instance);
                changed = true;
            }

            if (store.Objects(served).Count > 0)
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
            store.Remove(resource, next);
        }
        else
        {
            store.Replace(resource, obj, next);
        }
    }

    private static string Uid(JsonObject ownerReference) => ownerReference["uid"]?.GetValue<string>() ?? string.Empty;
}
