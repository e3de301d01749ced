using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Selectors;
using ConnectorOperator.LocalCluster.Storage;

namespace ConnectorOperator.LocalCluster.Writes;

public sealed partial class WritePipeline
{
    /// <exception cref="ApiStatusException">404, or 409 Conflict when a precondition fails.</exception>
    public DeleteResult Delete(ResourceType resource, string? ns, string name, DeleteOptions options)
    {
        return _store.Locked(() =>
        {
            var old = _store.Find(resource, ns, name) ?? throw NotFound(resource, name);
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
                return new DeleteResult(ObjectStore.Present(resource, old), false);
            }

            var (final, removed) = _collector.Delete(resource, old, options.GracePeriodSeconds, options.PropagationPolicy);
            _collector.Collect();
            return new DeleteResult(ObjectStore.Present(resource, final), removed);
        });
    }

    /// <summary>Deletes every object the selectors match, one by one, as deletecollection does.</summary>
    public IReadOnlyList<JsonObject> DeleteCollection(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, DeleteOptions options)
    {
        return _store.Locked(() =>
        {
            var targets = _store.Objects(resource).Where(o => (ns is null || ObjectMeta.Namespace(o) == ns) && labels.Matches(o) && fields.Matches(o)).ToList();
            var results = options.DryRun
                ? targets
                : targets.Select(t => _collector.Delete(resource, t, options.GracePeriodSeconds, options.PropagationPolicy).Object).ToList();
            _collector.Collect();
            return (IReadOnlyList<JsonObject>)[.. results.Select(o => ObjectStore.Present(resource, o))];
        });
    }
}
