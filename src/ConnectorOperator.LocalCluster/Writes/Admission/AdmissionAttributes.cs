using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Security;

namespace ConnectorOperator.LocalCluster.Writes.Admission;

/// <summary>One write as admission sees it (admission.Attributes): the operation, the new and old object, and who asks.</summary>
internal sealed record AdmissionAttributes(
    ResourceType Resource,
    string Operation,
    JsonObject? Object,
    JsonObject? OldObject,
    UserInfo User,
    string? Namespace,
    string Name,
    string? Subresource,
    bool DryRun)
{
    public const string Create = "CREATE";
    public const string Update = "UPDATE";

    /// <summary>The admission.k8s.io AdmissionRequest a policy reads as <c>request</c>.</summary>
    public JsonObject Request()
    {
        var kind = new JsonObject { ["group"] = Resource.Group, ["version"] = Resource.Version, ["kind"] = Resource.Kind };
        var resource = new JsonObject { ["group"] = Resource.Group, ["version"] = Resource.Version, ["resource"] = Resource.Plural };
        var userInfo = new JsonObject { ["username"] = User.Name, ["groups"] = new JsonArray([.. User.Groups.Select(g => (JsonNode)g)]) };
        if (User.Uid is not null)
        {
            userInfo["uid"] = User.Uid;
        }
        return new JsonObject
        {
            ["kind"] = kind,
            ["resource"] = resource,
            ["subResource"] = Subresource ?? string.Empty,
            ["requestKind"] = kind.DeepClone(),
            ["requestResource"] = resource.DeepClone(),
            ["requestSubResource"] = Subresource ?? string.Empty,
            ["name"] = Name,
            ["namespace"] = Namespace ?? string.Empty,
            ["operation"] = Operation,
            ["userInfo"] = userInfo,
            ["dryRun"] = DryRun,
        };
    }
}
