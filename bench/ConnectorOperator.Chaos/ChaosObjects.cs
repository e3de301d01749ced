using System.Text.Json.Nodes;
using ConnectorOperator.Bench;
using ConnectorOperator.Contracts;
using ConnectorOperator.Reconciliation;

namespace ConnectorOperator.Chaos;

/// <summary>The objects a chaos run creates and reads: AgentConnectors with three agent users each, their Secret, their pods.</summary>
internal static class ChaosObjects
{
    public const string Namespace = "chaos";
    public const string ApiVersion = "connectoroperator.dev/v1alpha1";
    public const string Kind = "AgentConnector";
    public const int AgentUsersPerConnector = 3;

    public static JsonObject NamespaceObject() => BenchObjects.Namespace(Namespace);

    public static JsonObject CredentialsSecret(string connector) => BenchObjects.CredentialsSecret(Namespace, $"{connector}-credentials");

    /// <summary>A Demo Messaging bot whose agent users are unique to it, so agent users never conflict across AgentConnectors.</summary>
    public static JsonObject Connector(string name, int replicas) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = Kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = $"{name}-bot" },
            ["accountId"] = "12345678",
            ["conversationType"] = "Messaging",
            ["environment"] = "Demo",
            ["replicas"] = replicas,
            ["agentUsers"] = new JsonArray([.. Enumerable.Range(1, AgentUsersPerConnector).Select(i => (JsonNode)new JsonObject
            {
                ["loginName"] = $"{name}-agent-{i}",
                ["credentialsSecretRef"] = new JsonObject { ["name"] = $"{name}-credentials" },
            })]),
            ["customConfiguration"] = new JsonObject { ["messageDelay"] = "300" },
        },
    };

    public static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    public static string Uid(JsonObject obj) => obj["metadata"]!["uid"]!.GetValue<string>();

    public static bool Deleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static long Generation(JsonObject obj) => Number(obj["metadata"]?["generation"]) ?? 0;

    public static long? Number(JsonNode? node) => BenchObjects.Number(node);

    /// <summary>Connectors the spec asks for: replicas, capped by the running agent users; none when stopped or deleted.</summary>
    public static int Desired(JsonObject connector)
    {
        var spec = connector["spec"]!;
        if (Deleting(connector) || spec["running"]?.GetValue<bool>() == false) return 0;
        var runningUsers = spec["agentUsers"]!.AsArray().Count(u => u?["running"]?.GetValue<bool>() != false);
        return (int)Math.Min(Number(spec["replicas"]) ?? 1, runningUsers);
    }

    public static string? OwnerUid(JsonObject pod) =>
        pod["metadata"]?["ownerReferences"]?.AsArray().FirstOrDefault(o => o?["kind"]?.GetValue<string>() == Kind)?["uid"]?.GetValue<string>();

    public static string? AgentUser(JsonObject pod) =>
        pod["metadata"]?["annotations"]?[ConnectorLabels.AgentUser]?.GetValue<string>()
        ?? pod["metadata"]?["labels"]?[ConnectorLabels.AgentUser]?.GetValue<string>();

    public static DateTimeOffset Created(JsonObject obj) =>
        DateTimeOffset.Parse(obj["metadata"]!["creationTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
