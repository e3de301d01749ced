using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Storage;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>
/// The clusterrole-aggregation controller as an in-line store hook (<see cref="ObjectStore.OnChange"/>): after every
/// ClusterRole change it recomputes aggregated roles until no rules move, so RBAC decisions see them at once.
/// </summary>
internal sealed class ClusterRoleAggregator(ObjectStore store)
{
    private const int MaxRounds = 5;

    private bool _running;

    public void OnChange(ResourceType resource)
    {
        // Its own Replace calls come back here: one pass at a time.
        if (_running || resource.Group != BuiltInResources.RbacGroup || resource.Plural != "clusterroles")
        {
            return;
        }
        _running = true;
        try
        {
            for (var round = 0; round < MaxRounds; round++)
            {
                var changed = false;
                foreach (var role in store.Objects(resource).ToList())
                {
                    if (ClusterRoleAggregation.Recompute(role, [.. store.Objects(resource)]) is { } rules)
                    {
                        var next = role.DeepClone().AsObject();
                        next["rules"] = rules;
                        store.Replace(resource, role, next);
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
            _running = false;
        }
    }
}
