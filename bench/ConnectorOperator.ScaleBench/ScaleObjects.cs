using System.Text.Json.Nodes;
using ConnectorOperator.Bench;

namespace ConnectorOperator.ScaleBench;

/// <summary>
/// What a scale run creates: Production Messaging AgentConnectors with three agent users each, so each runs the
/// Production minimum of two connectors with one agent user spare for a scale-up, and one credentials Secret each.
/// </summary>
internal static class ScaleObjects
{
    public const string Namespace = "scale";
    public const string ApiVersion = "connectoroperator.dev/v1alpha1";
    public const string Kind = "AgentConnector";
    public const int PodsPerConnector = 2;

    public static string Name(int i) => $"bot-{i:D4}";

    public static JsonObject NamespaceObject() => BenchObjects.Namespace(Namespace);

    public static JsonObject CredentialsSecret(string connector) => BenchObjects.CredentialsSecret(Namespace, $"{connector}-credentials");

    public static JsonObject Connector(string name) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = Kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = $"{name}-bot" },
            ["accountId"] = "12345678",
            ["conversationType"] = "Messaging",
            ["environment"] = "Production",
            ["fallbackSkillId"] = "4321",
            ["agentUsers"] = new JsonArray([.. Enumerable.Range(1, 3).Select(i => (JsonNode)new JsonObject
            {
                ["loginName"] = AgentUser(name, i),
                ["credentialsSecretRef"] = new JsonObject { ["name"] = $"{name}-credentials" },
            })]),
        },
    };

    public static string AgentUser(string connector, int i) => $"{connector}-agent-{i}";

    public static bool Online(JsonObject connector) =>
        connector["status"]?["state"]?.GetValue<string>() == "Online"
        && Number(connector["status"]?["observedGeneration"]) == Number(connector["metadata"]?["generation"]);

    public static long? Number(JsonNode? node) => BenchObjects.Number(node);
}
