using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>403 Forbidden Status bodies worded as kube-apiserver words them.</summary>
internal static class ForbiddenMessages
{
    /// <summary>User "alice" cannot create resource "pods" in API group "" in the namespace "bots" (or: at the cluster scope; or: cannot get path "/x").</summary>
    public static string Describe(RequestAttributes a)
    {
        if (!a.IsResourceRequest)
        {
            return $"User \"{a.User.Name}\" cannot {a.Verb} path \"{a.Path}\"";
        }
        var scope = a.Namespace.Length > 0 ? $"in the namespace \"{a.Namespace}\"" : "at the cluster scope";
        return $"User \"{a.User.Name}\" cannot {a.Verb} resource \"{a.ResourceWithSubresource}\" in API group \"{a.ApiGroup}\" {scope}";
    }

    /// <summary>The 403 for a denied request: <c>pods "x" is forbidden: User ...</c>, details naming the resource.</summary>
    public static ApiStatusException Forbidden(RequestAttributes a, string reason)
    {
        var cause = Describe(a) + (reason.Length > 0 ? ": " + reason : string.Empty);
        if (!a.IsResourceRequest)
        {
            return new ApiStatusException(403, "Forbidden", $"forbidden: {cause}", new JsonObject());
        }
        var qualified = a.ApiGroup.Length == 0 ? a.Resource : $"{a.Resource}.{a.ApiGroup}";
        var message = a.Name.Length == 0 ? $"{qualified} is forbidden: {cause}" : $"{qualified} \"{a.Name}\" is forbidden: {cause}";
        return new ApiStatusException(403, "Forbidden", message, StatusObjects.Details(a.Name.Length == 0 ? null : a.Name, a.ApiGroup, a.Resource));
    }
}
