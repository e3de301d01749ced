using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Representation;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>The unaggregated discovery documents (/api, /api/v1, /apis, /apis/g, /apis/g/v) and the served-kind list for OpenAPI.</summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] ResourceVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "apiserver-double",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. catalog.Groups().Select(g => (JsonNode)Group(g.Group, g.Versions))]),
    };

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        var found = catalog.Groups().FirstOrDefault(g => g.Group == group);
        if (found.Group is null)
        {
            return null;
        }

        var document = Group(found.Group, found.Versions);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    public static JsonObject? ResourceList(ResourceCatalog catalog, string group, string version)
    {
        var resources = catalog.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var resource in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = Strings(resource.CreateOnly ? ["create"] : ResourceVerbs),
            };
            if (resource.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(resource.ShortNames);
            }

            if (resource.Categories.Count > 0)
            {
                entry["categories"] = Strings(resource.Categories);
            }

            list.Add(entry);
            if (resource.HasStatus)
            {
                list.Add(new JsonObject
                {
                    ["name"] = resource.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = resource.Namespaced,
                    ["kind"] = resource.Kind,
                    ["verbs"] = Strings(SubresourceVerbs),
                });
            }

            if (!resource.IsCustom && resource.Group.Length == 0 && resource.Plural == "pods")
            {
                list.Add(new JsonObject
                {
                    ["name"] = "pods/eviction",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = true,
                    ["group"] = "policy",
                    ["version"] = "v1",
                    ["kind"] = "Eviction",
                    ["verbs"] = Strings(["create"]),
                });
                list.Add(new JsonObject
                {
                    ["name"] = "pods/binding",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = true,
                    ["kind"] = "Binding",
                    ["verbs"] = Strings(["create"]),
                });
            }

            if (resource.Scale is not null)
            {
                list.Add(new JsonObject
                {
                    ["name"] = resource.Plural + "/scale",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = resource.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Strings(SubresourceVerbs),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    /// <remarks>Schemas are the catalog's own: the OpenAPI documents copy them before adapting them.</remarks>
    public static IReadOnlyList<ServedKind> ServedKinds(ResourceCatalog catalog) =>
        [.. catalog.All.Select(r => new ServedKind(r.Group, r.Version, r.Kind, r.Plural, r.Namespaced, r.OpenApiSchema, r.HasStatus, r.Scale is not null))];

    private static JsonObject Group(string name, IReadOnlyList<string> versions)
    {
        var entries = versions.Select(v => new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v }).ToList();
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray([.. entries]),
            ["preferredVersion"] = entries[0].DeepClone(),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
