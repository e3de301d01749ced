using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Selectors;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>
/// What the clusterrole-aggregation controller computes: a ClusterRole with an aggregationRule gets, as its rules, the rules of
/// every ClusterRole its selectors match (in name order, duplicates dropped). The <see cref="ClusterRoleAggregator"/> runs it after every
/// ClusterRole change, so a new role labelled aggregate-to-edit counts at once.
/// </summary>
internal static class ClusterRoleAggregation
{
    /// <summary>The rules <paramref name="role"/> should have, or null when it does not aggregate or already has them.</summary>
    public static JsonArray? Recompute(JsonObject role, IReadOnlyList<JsonObject> all)
    {
        if (role["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors)
        {
            return null;
        }
        var parsed = selectors.OfType<JsonObject>().Select(LabelSelector.FromObject).OfType<LabelSelector>().ToList();
        var name = role["metadata"]?["name"]?.GetValue<string>();
        var rules = new JsonArray();
        foreach (var other in all.Where(r => r["metadata"]?["name"]?.GetValue<string>() != name && parsed.Any(s => s.Matches(r))))
        {
            foreach (var rule in (other["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (!rules.Any(existing => JsonNode.DeepEquals(existing, rule)))
                {
                    rules.Add(rule.DeepClone());
                }
            }
        }
        return JsonNode.DeepEquals(rules, role["rules"] ?? new JsonArray()) ? null : rules;
    }
}
