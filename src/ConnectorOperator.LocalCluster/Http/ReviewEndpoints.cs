using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Security;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>
/// The create-only reviews: SubjectAccessReview (any user), LocalSubjectAccessReview (any user, one namespace),
/// SelfSubjectAccessReview (<c>kubectl auth can-i</c>), SelfSubjectRulesReview (<c>kubectl auth can-i --list</c>) and
/// SelfSubjectReview (<c>kubectl auth whoami</c>). Answered at once, never stored; 201 with the status filled in.
/// </summary>
internal sealed class ReviewEndpoints(IAuthorizer authorizer)
{
    public async Task HandleAsync(HttpContext context, RequestTarget target, UserInfo requester)
    {
        var resource = target.Resource!;
        if (target.Kind != TargetKind.Collection || !HttpMethods.IsPost(context.Request.Method))
        {
            throw StatusObjects.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var body = await ResourceEndpoints.ReadObjectAsync(context).ConfigureAwait(false);
        var spec = body["spec"] as JsonObject ?? [];
        var status = resource.Plural switch
        {
            "subjectaccessreviews" => Access(spec, Subject(spec), null),
            "localsubjectaccessreviews" => Access(spec, Subject(spec), target.Namespace),
            "selfsubjectaccessreviews" => Access(spec, requester, null),
            "selfsubjectrulesreviews" => Rules(requester, JsonNodes.AsString(spec["namespace"])),
            _ => new JsonObject { ["userInfo"] = UserInfoJson(requester) },
        };
        var result = new JsonObject
        {
            ["kind"] = resource.Kind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
        };
        if (resource.Plural != "selfsubjectreviews")
        {
            result["spec"] = spec.DeepClone();
        }
        result["status"] = status;
        await ResponseWriter.WriteJsonAsync(context, 201, result).ConfigureAwait(false);
    }

    private JsonObject Access(JsonObject spec, UserInfo user, string? urlNamespace)
    {
        RequestAttributes attributes;
        if (spec["resourceAttributes"] is JsonObject resource)
        {
            var ns = JsonNodes.AsString(resource["namespace"]) ?? string.Empty;
            if (urlNamespace is not null && ns != urlNamespace)
            {
                throw StatusObjects.BadRequest($"spec.resourceAttributes.namespace must match namespace: {urlNamespace}");
            }
            attributes = RequestAttributes.ForResource(user, JsonNodes.AsString(resource["verb"]) ?? string.Empty, JsonNodes.AsString(resource["group"]) ?? string.Empty,
                JsonNodes.AsString(resource["resource"]) ?? string.Empty, JsonNodes.AsString(resource["subresource"]), ns, JsonNodes.AsString(resource["name"]));
        }
        else if (spec["nonResourceAttributes"] is JsonObject path)
        {
            attributes = RequestAttributes.ForPath(user, JsonNodes.AsString(path["verb"]) ?? string.Empty, JsonNodes.AsString(path["path"]) ?? string.Empty);
        }
        else
        {
            throw StatusObjects.BadRequest("exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        var decision = authorizer.Authorize(attributes);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }
        return status;
    }

    private JsonObject Rules(UserInfo user, string? @namespace)
    {
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in authorizer.RulesFor(user, @namespace))
        {
            if (rule["nonResourceURLs"] is JsonArray urls && urls.Count > 0)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = rule["verbs"]?.DeepClone(), ["nonResourceURLs"] = urls.DeepClone() });
                continue;
            }
            var entry = new JsonObject { ["verbs"] = rule["verbs"]?.DeepClone(), ["apiGroups"] = rule["apiGroups"]?.DeepClone(), ["resources"] = rule["resources"]?.DeepClone() };
            if (rule["resourceNames"] is JsonArray names && names.Count > 0)
            {
                entry["resourceNames"] = names.DeepClone();
            }
            resourceRules.Add(entry);
        }
        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }

    private static UserInfo Subject(JsonObject spec)
    {
        var user = JsonNodes.AsString(spec["user"]);
        var groups = (spec["groups"] as JsonArray ?? []).Select(JsonNodes.AsString).OfType<string>().ToList();
        if (string.IsNullOrEmpty(user) && groups.Count == 0)
        {
            throw StatusObjects.BadRequest("at least one of user or group must be specified");
        }
        return new UserInfo(user ?? string.Empty, groups, JsonNodes.AsString(spec["uid"]));
    }

    private static JsonObject UserInfoJson(UserInfo user)
    {
        var info = new JsonObject { ["username"] = user.Name };
        if (user.Uid is not null)
        {
            info["uid"] = user.Uid;
        }
        info["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
        return info;
    }
}
