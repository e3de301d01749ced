using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Selectors;

namespace ConnectorOperator.LocalCluster.Writes.Admission;

/// <summary>
/// MatchResources of a policy or binding: resourceRules minus excludeResourceRules (groups, versions, operations,
/// resources with the subresource wildcards, scope, resourceNames), then namespaceSelector and objectSelector.
/// </summary>
internal static class ResourceRules
{
    public static bool Match(JsonObject? match, AdmissionAttributes a, JsonObject? namespaceObject)
    {
        if (match is null)
        {
            return true;
        }
        if (!(match["resourceRules"] as JsonArray ?? []).OfType<JsonObject>().Any(rule => RuleMatches(rule, a))
            || (match["excludeResourceRules"] as JsonArray ?? []).OfType<JsonObject>().Any(rule => RuleMatches(rule, a)))
        {
            return false;
        }
        // A cluster-scoped object other than a Namespace always passes the namespace selector.
        if (match["namespaceSelector"] is JsonObject namespaceSelector && a.Resource.Namespaced
            && !(LabelSelector.FromObject(namespaceSelector)?.Matches(namespaceObject ?? []) ?? true))
        {
            return false;
        }
        if (match["objectSelector"] is JsonObject objectSelector && LabelSelector.FromObject(objectSelector) is { } selector
            && !(a.Object is not null && selector.Matches(a.Object)) && !(a.OldObject is not null && selector.Matches(a.OldObject)))
        {
            return false;
        }
        return true;
    }

    private static bool RuleMatches(JsonObject rule, AdmissionAttributes a)
    {
        var resource = a.Resource;
        if (!Has(rule["operations"], a.Operation) || !Has(rule["apiGroups"], resource.Group) || !Has(rule["apiVersions"], resource.Version))
        {
            return false;
        }
        var scope = rule["scope"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "*";
        if ((scope == "Cluster" && resource.Namespaced) || (scope == "Namespaced" && !resource.Namespaced))
        {
            return false;
        }
        var names = PolicyRules.Strings(rule["resourceNames"]).ToList();
        if (names.Count > 0 && !names.Contains(a.Name, StringComparer.Ordinal))
        {
            return false;
        }
        var sub = a.Subresource ?? string.Empty;
        return PolicyRules.Strings(rule["resources"]).Any(r => r switch
        {
            "*/*" => true,
            "*" => sub.Length == 0,
            _ when r.StartsWith("*/", StringComparison.Ordinal) => sub == r[2..],
            _ when r.EndsWith("/*", StringComparison.Ordinal) => r[..^2] == resource.Plural,
            _ => r == (sub.Length == 0 ? resource.Plural : $"{resource.Plural}/{sub}"),
        });
    }

    private static bool Has(JsonNode? list, string value) => PolicyRules.Strings(list).Any(v => v == "*" || v == value);
}
