using ConnectorOperator.LocalCluster.Api;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>What a request path addresses.</summary>
internal enum TargetKind
{
    Unknown,
    Version,
    Health,
    CoreVersions,
    GroupList,
    Group,
    GroupVersion,
    OpenApiV2,
    OpenApiV3Index,
    OpenApiV3Document,
    Collection,
    Item,
}

/// <summary>A parsed request path: discovery documents, or a resource collection/item with optional subresource.</summary>
internal sealed record RequestTarget(TargetKind Kind)
{
    public string Group { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public ResourceType? Resource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    public static RequestTarget Parse(string path, ResourceCatalog catalog)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        switch (segments)
        {
            case ["version"]:
                return new RequestTarget(TargetKind.Version);
            case ["healthz" or "readyz" or "livez", ..]:
                return new RequestTarget(TargetKind.Health);
            case ["api"]:
                return new RequestTarget(TargetKind.CoreVersions);
            case ["apis"]:
                return new RequestTarget(TargetKind.GroupList);
            case ["apis", var group]:
                return new RequestTarget(TargetKind.Group) { Group = group };
            case ["openapi", "v2"]:
                return new RequestTarget(TargetKind.OpenApiV2);
            case ["openapi", "v3"]:
                return new RequestTarget(TargetKind.OpenApiV3Index);
            case ["openapi", "v3", "api", var version]:
                return new RequestTarget(TargetKind.OpenApiV3Document) { Version = version };
            case ["openapi", "v3", "apis", var group, var version]:
                return new RequestTarget(TargetKind.OpenApiV3Document) { Group = group, Version = version };
            case ["api", var version, .. var rest]:
                return ParseResource(string.Empty, version, rest, catalog);
            case ["apis", var group, var version, .. var rest]:
                return ParseResource(group, version, rest, catalog);
            default:
                return new RequestTarget(TargetKind.Unknown);
        }
    }

    private static RequestTarget ParseResource(string group, string version, string[] rest, ResourceCatalog catalog)
    {
        if (rest.Length == 0)
        {
            return new RequestTarget(TargetKind.GroupVersion) { Group = group, Version = version };
        }

        string? ns = null;
        if (rest is ["namespaces", var candidateNs, var plural, ..] && catalog.Find(group, version, plural) is { Namespaced: true })
        {
            ns = candidateNs;
            rest = rest[2..];
        }

        var resource = catalog.Find(group, version, rest[0]);
        if (resource is null || rest.Length > 3)
        {
            return new RequestTarget(TargetKind.Unknown);
        }

        return new RequestTarget(rest.Length == 1 ? TargetKind.Collection : TargetKind.Item)
        {
            Group = group,
            Version = version,
            Resource = resource,
            Namespace = resource.Namespaced ? ns : null,
            Name = rest.Length > 1 ? rest[1] : null,
            Subresource = rest.Length > 2 ? rest[2] : null,
        };
    }
}
