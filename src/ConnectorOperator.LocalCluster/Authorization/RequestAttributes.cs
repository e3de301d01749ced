using ConnectorOperator.LocalCluster.Security;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>What the authorizer decides on, as kube-apiserver's authorizer.Attributes: who, which verb, and which resource or path.</summary>
public sealed record RequestAttributes(UserInfo User, string Verb)
{
    public bool IsResourceRequest { get; init; }

    public string ApiGroup { get; init; } = string.Empty;

    public string Resource { get; init; } = string.Empty;

    public string Subresource { get; init; } = string.Empty;

    public string Namespace { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    /// <summary>For non-resource requests: the URL path (/healthz, /version, ...).</summary>
    public string Path { get; init; } = string.Empty;

    public static RequestAttributes ForResource(UserInfo user, string verb, string group, string resource, string? subresource = null, string? @namespace = null, string? name = null) =>
        new(user, verb)
        {
            IsResourceRequest = true,
            ApiGroup = group,
            Resource = resource,
            Subresource = subresource ?? string.Empty,
            Namespace = @namespace ?? string.Empty,
            Name = name ?? string.Empty,
        };

    public static RequestAttributes ForPath(UserInfo user, string verb, string path) => new(user, verb) { Path = path };

    /// <summary>"pods" or "pods/status", as RBAC rules and Forbidden messages name it.</summary>
    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";
}
