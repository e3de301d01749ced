using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Bench;

/// <summary>Objects every operator-level bench seeds, and reading numbers from objects written in-process.</summary>
public static class BenchObjects
{
    public static JsonObject Namespace(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };

    /// <summary>API-key credentials for an AgentConnector's agent users (placeholders: fake connectors never log in).</summary>
    public static JsonObject CredentialsSecret(string @namespace, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["stringData"] = new JsonObject
        {
            [AgentCredentialKeys.AppKey] = "k",
            [AgentCredentialKeys.AppSecret] = "s",
            [AgentCredentialKeys.AccessToken] = "t",
            [AgentCredentialKeys.AccessTokenSecret] = "ts",
        },
    };

    /// <summary>A number however the node holds it (objects written in-process keep their CLR types).</summary>
    public static long? Number(JsonNode? node) =>
        node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    /// <summary>A duration argument: "90s", "2m" or a TimeSpan ("00:01:30").</summary>
    public static TimeSpan Duration(string text) =>
        text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : text.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
}
