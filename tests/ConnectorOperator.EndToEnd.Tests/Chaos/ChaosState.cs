using System.Text.Json.Nodes;
using ConnectorOperator.Chaos;
using ConnectorOperator.Reconciliation;

namespace ConnectorOperator.EndToEnd.Tests.Chaos;

/// <summary>AgentConnectors and pods as the chaos run reads them from the API server, built by hand for the monitor's tests.</summary>
internal static class ChaosState
{
    /// <summary>An AgentConnector the operator has caught up with: Online (or Stopped) with every wanted connector ready.</summary>
    public static JsonObject Connector(string name, int replicas, bool running = true)
    {
        var connector = ChaosObjects.Connector(name, replicas);
        connector["metadata"]!["uid"] = $"uid-{name}";
        connector["metadata"]!["generation"] = 1;
        connector["spec"]!["running"] = running;
        var desired = ChaosObjects.Desired(connector);
        connector["status"] = new JsonObject
        {
            ["observedGeneration"] = 1,
            ["state"] = desired > 0 ? "Online" : "Stopped",
            ["readyReplicas"] = desired,
            ["updatedReplicas"] = desired,
        };
        return connector;
    }

    /// <summary>A connector pod of <paramref name="connector"/> (null: an owner that no longer exists) logged in as <paramref name="agentUser"/>.</summary>
    public static JsonObject Pod(string name, JsonObject? connector, string agentUser, bool terminating = false, string ownerUid = "uid-gone")
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ChaosObjects.Namespace,
            ["uid"] = $"uid-{name}",
            ["annotations"] = new JsonObject { [ConnectorLabels.AgentUser] = agentUser },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = ChaosObjects.ApiVersion,
                ["kind"] = ChaosObjects.Kind,
                ["name"] = connector is null ? "gone" : ChaosObjects.Name(connector),
                ["uid"] = connector is null ? ownerUid : ChaosObjects.Uid(connector),
            }),
        };
        if (terminating) metadata["deletionTimestamp"] = "2030-01-01T00:00:00Z";
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata };
    }

    public static string User(string connector, int i) => $"{connector}-agent-{i}";
}
