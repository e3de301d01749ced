using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.GarbageCollection;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.LocalCluster.Security;
using ConnectorOperator.LocalCluster.Storage;
using ConnectorOperator.LocalCluster.Writes.Admission;
using ConnectorOperator.LocalCluster.Writes.Patching;
using ConnectorOperator.LocalCluster.Writes.Validation;

namespace ConnectorOperator.LocalCluster.Writes;

/// <summary>
/// Every create, update, patch and delete once HTTP has authorized it, in the apiserver's order: well-formedness
/// and type checks → built-in strategies (defaulting, normalization, validation) → custom resource admission
/// (pruning, defaulting, schema and CEL validation) → ValidatingAdmissionPolicies → managed fields (SSA) → storage
/// checks and commit → garbage collection. All of it under the store's lock. Direct calls (tests, kubelets) skip
/// authorization only.
/// </summary>
public sealed partial class WritePipeline
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly ObjectStore _store;
    private readonly GarbageCollector _collector;
    private readonly CustomResourceAdmission _admission;
    private readonly ValidatingAdmissionPolicies _policies;
    private readonly ICelEvaluator? _celEvaluator;
    private readonly TimeProvider _time;

    /// <param name="authorizer">For the policies' authorizer library.</param>
    /// <param name="celEvaluator">CRD rules and policies; null skips CRD rules and refuses policies.</param>
    /// <param name="podsTerminateImmediately">False when a kubelet finishes the termination of scheduled pods.</param>
    internal WritePipeline(ObjectStore store, IAuthorizer authorizer, ICelEvaluator? celEvaluator, TimeProvider time, bool podsTerminateImmediately)
    {
        _store = store;
        _celEvaluator = celEvaluator;
        _time = time;
        _collector = new GarbageCollector(store, time, podsTerminateImmediately);
        _admission = new CustomResourceAdmission(celEvaluator);
        _policies = new ValidatingAdmissionPolicies(store.Scan, store.FindByKind, authorizer, celEvaluator);
    }

    /// <exception cref="ApiStatusException">400, 403 (namespace terminating), 404 (namespace missing), 409 AlreadyExists, 422 Invalid.</exception>
    public WriteResult Create(ResourceType resource, string? ns, JsonObject body, WriteOptions options) =>
        _store.Locked(() => CreateLocked(resource, ns, body.DeepClone().AsObject(), options));

    /// <summary>PUT semantics: replaces the object (or only its status for <paramref name="subresource"/> "status").</summary>
    public WriteResult Update(ResourceType resource, string? ns, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        return _store.Locked(() =>
        {
            var old = _store.Find(resource, ns, name) ?? throw NotFound(resource, name);
            return UpdateLocked(resource, old, body.DeepClone().AsObject(), subresource, options);
        });
    }

    /// <summary>
    /// Applies <paramref name="patch"/> to the current object (as the client sees it) under the store's lock, then stores the
    /// result like an update. A server-side apply (<see cref="WriteOptions.IsApply"/>) creates a missing object from patch(null).
    /// </summary>
    public WriteResult Patch(ResourceType resource, string? ns, string name, Func<JsonObject?, JsonObject> patch, string? subresource, WriteOptions options)
    {
        return _store.Locked(() =>
        {
            var old = _store.Find(resource, ns, name);
            if (old is null)
            {
                if (!options.IsApply || subresource is not null)
                {
                    throw NotFound(resource, name);
                }

                var created = patch(null);
                CheckUrlNames(resource, created, ns, name);
                ObjectMeta.Metadata(created)["name"] = name;
                return CreateLocked(resource, ns, created, options);
            }

            var patched = patch(ObjectStore.Present(resource, old));
            return UpdateLocked(resource, old, patched, subresource, options);
        });
    }

    private WriteResult CreateLocked(ResourceType resource, string? ns, JsonObject obj, WriteOptions options)
    {
        WellFormed.Require(obj);
        CheckTypeMeta(resource, obj);
        var meta = ObjectMeta.Metadata(obj);
        var bodyNamespace = ObjectMeta.Namespace(obj);
        if (resource.Namespaced)
        {
            ns ??= bodyNamespace;
            if (bodyNamespace is not null && bodyNamespace.Length > 0 && bodyNamespace != ns)
            {
                throw StatusObjects.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            if (string.IsNullOrEmpty(ns))
            {
                throw StatusObjects.BadRequest("the server could not find the requested resource: a namespace is required");
            }

            meta["namespace"] = ns;
            RequireLiveNamespace(ns);
        }
        else
        {
            meta.Remove("namespace");
        }

        if (ObjectMeta.Name(obj) is null or "" && ObjectMeta.Str(obj, "generateName") is { Length: > 0 } prefix)
        {
            string candidate;
            do
            {
                candidate = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]));
            }
            while (_store.Find(resource, ns, candidate) is not null);

            meta["name"] = candidate;
        }

        // The storage layer's checks come after validation, as in the real apiserver.
        var storedVersion = ObjectMeta.ResourceVersion(obj);
        foreach (var field in new[] { "resourceVersion", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink" })
        {
            meta.Remove(field);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        if (resource.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        if (resource.HasStatus && (resource.IsCustom || CrdDefinition.IsDefinition(resource)))
        {
            obj.Remove("status");
        }

        BuiltInStrategies.PrepareForCreate(resource, obj);
        BuiltInStrategies.Normalize(resource, obj);
        BuiltInStrategies.Validate(resource, obj);
        var warnings = new List<string>();
        IReadOnlyList<ResourceType>? served = null;
        if (CrdDefinition.IsDefinition(resource))
        {
            served = CrdDefinition.ResourcesOf(obj);
            ObjectMeta.SetFinalizers(obj, ObjectMeta.Finalizers(obj).Append(CrdDefinition.CleanupFinalizer).Distinct());
            obj["status"] = CrdDefinition.StatusOf(obj, null, Now());
        }

        if (resource.IsCustom)
        {
            _admission.Admit(resource, obj, null, options.FieldValidation, warnings);
        }

        PolicyObjects.Validate(resource, obj, _celEvaluator);
        _policies.Validate(new AdmissionAttributes(resource, AdmissionAttributes.Create, obj, null, options.User ?? UserInfo.Apiserver,
            resource.Namespaced ? ns : null, ObjectMeta.Name(obj) ?? string.Empty, null, options.DryRun), warnings);
        RecordManager(resource, null, obj, null, options);
        obj = ObjectStore.Stored(resource, obj);
        if (storedVersion is { Length: > 0 })
        {
            // A 500 in the real apiserver too, typically from "kubectl get -o yaml | kubectl create -f -".
            throw new ApiStatusException(500, "InternalError", "resourceVersion should not be set on objects to be created");
        }

        var name = ObjectMeta.Name(obj)!;
        if (_store.Find(resource, ns, name) is not null)
        {
            throw StatusObjects.AlreadyExists(resource.QualifiedResource, resource.Group, resource.Plural, name);
        }

        if (options.DryRun)
        {
            return new WriteResult(ObjectStore.Present(resource, obj), true, warnings);
        }

        _store.Insert(resource, obj);
        if (served is not null)
        {
            _store.Catalog.SetCustom(ObjectMeta.Name(obj)!, served);
        }

        if (ObjectMeta.OwnerReferences(obj).Count > 0)
        {
            _collector.Collect();
        }

        return new WriteResult(ObjectStore.Present(resource, obj), true, warnings);
    }

    private WriteResult UpdateLocked(ResourceType resource, JsonObject old, JsonObject body, string? subresource, WriteOptions options)
    {
        WellFormed.Require(body);
        CheckTypeMeta(resource, body);
        var name = ObjectMeta.Name(old)!;
        CheckUrlNames(resource, body, ObjectMeta.Namespace(old), name);
        if (ObjectMeta.ResourceVersion(body) is { Length: > 0 } expected && expected != ObjectMeta.ResourceVersion(old))
        {
            throw StatusObjects.Conflict(resource.QualifiedResource, resource.Group, resource.Plural, name, StatusObjects.StaleObjectMessage);
        }

        if (ObjectMeta.Uid(body) is { Length: > 0 } uid && uid != ObjectMeta.Uid(old))
        {
            throw StatusObjects.Conflict(resource.QualifiedResource, resource.Group, resource.Plural, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Uid(old)}");
        }

        // Built from the current object as this version shows it: the result is converted back to the stored form on commit.
        var current = ObjectStore.Present(resource, old);
        var next = subresource switch
        {
            "status" => StatusOnly(current, body),
            "binding" => body.DeepClone().AsObject(),
            _ => MainOnly(resource, current, body),
        };
        if (subresource is null)
        {
            BuiltInStrategies.ValidateUpdate(resource, old, next);
        }

        return CommitUpdate(resource, old, current, next, subresource, options);
    }

    private static JsonObject StatusOnly(JsonObject old, JsonObject body)
    {
        var next = old.DeepClone().AsObject();
        next.Remove("status");
        if (body["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }

        return next;
    }

    private static JsonObject MainOnly(ResourceType resource, JsonObject old, JsonObject body)
    {
        var next = body.DeepClone().AsObject();
        var meta = ObjectMeta.Metadata(next);
        var oldMeta = ObjectMeta.Metadata(old);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
        {
            meta.Remove(field);
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }

        if (meta["managedFields"] is null && oldMeta["managedFields"] is { } managed)
        {
            meta["managedFields"] = managed.DeepClone();
        }

        if (resource.HasStatus)
        {
            next.Remove("status");
            if (old["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
        }

        return next;
    }

    /// <param name="current"><paramref name="old"/> as <paramref name="resource"/> presents it (read only).</param>
    private WriteResult CommitUpdate(ResourceType resource, JsonObject old, JsonObject current, JsonObject next, string? subresource, WriteOptions options)
    {
        BuiltInStrategies.Normalize(resource, next);
        if (ObjectMeta.IsDeleting(old))
        {
            var added = ObjectMeta.Finalizers(next).Except(ObjectMeta.Finalizers(old)).ToList();
            if (added.Count > 0)
            {
                throw InvalidObjects.Create(resource, ObjectMeta.Name(old), [new FieldError("metadata.finalizers", FieldErrorType.Forbidden,
                    $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(a => $"\"{a}\""))}}}")]);
            }
        }

        BuiltInStrategies.Validate(resource, next);
        var warnings = new List<string>();
        IReadOnlyList<ResourceType>? served = null;
        if (CrdDefinition.IsDefinition(resource))
        {
            served = CrdDefinition.ResourcesOf(next);
            next["status"] = CrdDefinition.StatusOf(next, old["status"] as JsonObject, Now());
        }

        if (resource.IsCustom)
        {
            _admission.Admit(resource, next, current, options.FieldValidation, warnings);
        }

        if (subresource is null)
        {
            PolicyObjects.Validate(resource, next, _celEvaluator);
        }
        _policies.Validate(new AdmissionAttributes(resource, AdmissionAttributes.Update, next, current, options.User ?? UserInfo.Apiserver,
            ObjectMeta.Namespace(old), ObjectMeta.Name(old) ?? string.Empty, subresource, options.DryRun), warnings);

        if (resource.TracksGeneration)
        {
            ObjectMeta.Metadata(next)["generation"] = ObjectMeta.SpecEquals(old, next) ? ObjectMeta.Generation(old) : ObjectMeta.Generation(old) + 1;
        }
        RecordManager(resource, current, next, subresource, options);
        next = ObjectStore.Stored(resource, next);
        if (ObjectMeta.SameContent(old, next))
        {
            return new WriteResult(ObjectStore.Present(resource, old), false, warnings);
        }

        if (options.DryRun)
        {
            return new WriteResult(ObjectStore.Present(resource, next), false, warnings);
        }

        if (ObjectMeta.IsDeleting(next) && ObjectMeta.Finalizers(next).Count == 0 && !GarbageCollector.AwaitsGracefulTermination(resource, next))
        {
            var final = _store.Remove(resource, next);
            _collector.Collect();
            return new WriteResult(ObjectStore.Present(resource, final), false, warnings);
        }

        _store.Replace(resource, old, next);
        if (served is not null)
        {
            _store.Catalog.SetCustom(ObjectMeta.Name(next)!, served);
        }

        if (ObjectMeta.IsDeleting(next) || !JsonNode.DeepEquals(old["metadata"]?["ownerReferences"], next["metadata"]?["ownerReferences"]))
        {
            _collector.Collect();
        }

        return new WriteResult(ObjectStore.Present(resource, next), false, warnings);
    }

    /// <summary>Ordinary writes take ownership of the fields they set; apply patches keep managedFields themselves.</summary>
    /// <param name="current">The stored object as <paramref name="resource"/> presents it, or null for a create.</param>
    private void RecordManager(ResourceType resource, JsonObject? current, JsonObject next, string? subresource, WriteOptions options)
    {
        if (options.IsApply || string.IsNullOrEmpty(options.FieldManager))
        {
            return;
        }

        ServerSideApply.RecordUpdate(current, next, options.FieldManager, resource.ApiVersion, _time.GetUtcNow(), subresource);
    }

    private void CheckTypeMeta(ResourceType resource, JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (kind is { Length: > 0 } && kind != resource.Kind)
        {
            throw StatusObjects.BadRequest($"the kind of the provided object ({kind}) does not match the expected kind ({resource.Kind})");
        }

        // Another served version of the same resource is fine: with the "None" conversion only apiVersion changes. Another
        // group sharing the store (events.k8s.io and core Events) has another shape, so its apiVersion is refused as the real decoder does.
        if (apiVersion is { Length: > 0 } && apiVersion != resource.ApiVersion
            && !_store.Catalog.VersionsOf(resource.StorageKey).Any(r => r.ApiVersion == apiVersion && r.Group == resource.Group))
        {
            throw StatusObjects.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        obj["apiVersion"] = resource.ApiVersion;
        obj["kind"] = resource.Kind;
    }

    private static void CheckUrlNames(ResourceType resource, JsonObject body, string? ns, string name)
    {
        if (ObjectMeta.Name(body) is { Length: > 0 } bodyName && bodyName != name)
        {
            throw StatusObjects.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        if (resource.Namespaced && ObjectMeta.Namespace(body) is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw StatusObjects.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private void RequireLiveNamespace(string ns)
    {
        var namespaces = BuiltInResources.All.First(r => r.Plural == "namespaces" && r.Group.Length == 0);
        var found = _store.Find(namespaces, null, ns) ?? throw NotFound(namespaces, ns);
        if (ObjectMeta.IsDeleting(found))
        {
            throw new ApiStatusException(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated",
                StatusObjects.Details(ns, string.Empty, "namespaces"));
        }
    }

    private static ApiStatusException NotFound(ResourceType resource, string name) =>
        StatusObjects.NotFound(resource.QualifiedResource, resource.Group, resource.Plural, name);

    private string Now() => ObjectMeta.Timestamp(_time.GetUtcNow());
}
