using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Tests.Admission;

/// <summary>ValidatingAdmissionPolicy and binding objects for tests.</summary>
internal static class Policies
{
    public static JsonObject OnConfigMaps(string name, JsonArray validations, JsonObject? extra = null)
    {
        var spec = new JsonObject
        {
            ["matchConstraints"] = new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(""),
                    ["apiVersions"] = new JsonArray("v1"),
                    ["operations"] = new JsonArray("CREATE", "UPDATE"),
                    ["resources"] = new JsonArray("configmaps"),
                }),
            },
            ["validations"] = validations,
        };
        foreach (var (key, value) in extra ?? [])
        {
            spec[key] = value?.DeepClone();
        }
        return new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = "ValidatingAdmissionPolicy",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject Validation(string expression, string? message = null, string? messageExpression = null, string? reason = null)
    {
        var validation = new JsonObject { ["expression"] = expression };
        if (message is not null) validation["message"] = message;
        if (messageExpression is not null) validation["messageExpression"] = messageExpression;
        if (reason is not null) validation["reason"] = reason;
        return validation;
    }

    public static JsonObject Binding(string name, string policy, params string[] actions) => new()
    {
        ["apiVersion"] = "admissionregistration.k8s.io/v1",
        ["kind"] = "ValidatingAdmissionPolicyBinding",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["policyName"] = policy,
            ["validationActions"] = new JsonArray([.. (actions.Length == 0 ? ["Deny"] : actions).Select(a => (JsonNode)a)]),
        },
    };
}
