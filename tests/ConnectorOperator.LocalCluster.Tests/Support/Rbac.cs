using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>RBAC objects for tests, in the shapes kubectl create role/rolebinding would send.</summary>
internal static class Rbac
{
    public static JsonObject Rule(string group, string resource, params string[] verbs) => new()
    {
        ["apiGroups"] = new JsonArray(group),
        ["resources"] = new JsonArray(resource),
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
    };

    public static JsonObject Role(string ns, string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "Role",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["rules"] = new JsonArray([.. rules]),
    };

    public static JsonObject ClusterRole(string name, JsonObject? labels, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? [] },
        ["rules"] = new JsonArray([.. rules]),
    };

    public static JsonObject User(string name) => new() { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = name };

    public static JsonObject Group(string name) => new() { ["kind"] = "Group", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = name };

    public static JsonObject ServiceAccount(string name, string? ns = null)
    {
        var subject = new JsonObject { ["kind"] = "ServiceAccount", ["name"] = name };
        if (ns is not null)
        {
            subject["namespace"] = ns;
        }
        return subject;
    }

    public static JsonObject RoleBinding(string ns, string name, string roleKind, string role, params JsonObject[] subjects) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "RoleBinding",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = role },
        ["subjects"] = new JsonArray([.. subjects]),
    };

    public static JsonObject ClusterRoleBinding(string name, string role, params JsonObject[] subjects) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. subjects]),
    };

    public static JsonObject AccessReview(string verb, string group, string resource, string? ns = null, string? name = null, string? subresource = null)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource };
        if (ns is not null) attributes["namespace"] = ns;
        if (name is not null) attributes["name"] = name;
        if (subresource is not null) attributes["subresource"] = subresource;
        return new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = attributes },
        };
    }
}
