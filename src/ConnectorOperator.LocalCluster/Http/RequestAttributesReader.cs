using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Security;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Turns a request into authorizer attributes the way kube-apiserver's RequestInfoFactory does.</summary>
internal static class RequestAttributesReader
{
    public static RequestAttributes Read(HttpRequest request, RequestTarget target, UserInfo user)
    {
        var method = request.Method.ToUpperInvariant();
        if (target.Kind is not (TargetKind.Collection or TargetKind.Item) || target.Resource is not { } resource)
        {
            return RequestAttributes.ForPath(user, method.ToLowerInvariant(), request.Path.Value ?? "/");
        }

        var watch = new RequestQuery(request.Query).IsWatch;
        var verb = (method, target.Kind) switch
        {
            ("GET" or "HEAD", TargetKind.Collection) => watch ? "watch" : "list",
            ("GET" or "HEAD", _) => watch ? "watch" : "get",
            ("POST", _) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", TargetKind.Collection) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => method.ToLowerInvariant(),
        };

        // A namespace is its own namespace: GET /api/v1/namespaces/x is checked in namespace x.
        var ns = resource.Group.Length == 0 && resource.Plural == "namespaces" && target.Kind == TargetKind.Item ? target.Name : target.Namespace;
        return RequestAttributes.ForResource(user, verb, resource.Group, resource.Plural, target.Subresource, ns, target.Name);
    }
}
