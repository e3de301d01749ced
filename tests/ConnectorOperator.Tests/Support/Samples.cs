using System.Text.Json.Nodes;

namespace ConnectorOperator.Tests.Support;

/// <summary>Builds AgentConnector objects as JSON, starting from a valid Demo Messaging one.</summary>
internal static class Samples
{
    public static JsonObject ValidConnector() => (JsonObject)JsonNode.Parse("""
        {
          "apiVersion": "connectoroperator.dev/v1alpha1",
          "kind": "AgentConnector",
          "metadata": {"name": "support-bot", "namespace": "default"},
          "spec": {
            "bot": {"id": "support-bot"},
            "accountId": "12345678",
            "conversationType": "Messaging",
            "agentUsers": [
              {"loginName": "bot-agent-1", "credentialsSecretRef": {"name": "bot-agent-1"}}
            ]
          }
        }
        """)!;

    public static JsonObject Spec(this JsonObject connector) => (JsonObject)connector["spec"]!;

    public static JsonObject WithTwoAgentUsers(this JsonObject connector)
    {
        connector.Spec()["agentUsers"]!.AsArray().Add(JsonNode.Parse("""{"loginName": "bot-agent-2", "credentialsSecretRef": {"name": "bot-agent-2"}}"""));
        return connector;
    }

    public static JsonObject InProduction(this JsonObject connector)
    {
        connector.Spec()["environment"] = "Production";
        return connector;
    }

    public static JsonObject With(this JsonObject connector, string specField, JsonNode? value)
    {
        connector.Spec()[specField] = value;
        return connector;
    }
}
