using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>Whether one RBAC PolicyRule covers a request, by the rules of rbac/v1 (wildcards, resourceNames, subresources, nonResourceURLs).</summary>
internal static class PolicyRules
{
    public static bool Covers(JsonObject rule, RequestAttributes request)
    {
        if (!Contains(rule["verbs"], request.Verb, allowWildcard: true))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return Strings(rule["nonResourceURLs"]).Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }
        if (!Contains(rule["apiGroups"], request.ApiGroup, allowWildcard: true) || !CoversResource(rule["resources"], request))
        {
            return false;
        }
        var names = Strings(rule["resourceNames"]).ToList();
        return names.Count == 0 || (request.Name.Length > 0 && names.Contains(request.Name, StringComparer.Ordinal));
    }

    private static bool CoversResource(JsonNode? resources, RequestAttributes request)
    {
        var combined = request.ResourceWithSubresource;
        foreach (var resource in Strings(resources))
        {
            if (resource == "*" || resource == combined)
            {
                return true;
            }
            // "*/scale" covers the scale subresource of every resource.
            if (request.Subresource.Length > 0 && resource == "*/" + request.Subresource)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(JsonNode? list, string value, bool allowWildcard) =>
        Strings(list).Any(item => item == value || (allowWildcard && item == "*"));

    public static IEnumerable<string> Strings(JsonNode? list) =>
        list is JsonArray array ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>() : [];
}
