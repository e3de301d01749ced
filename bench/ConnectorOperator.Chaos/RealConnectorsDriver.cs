using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.Chaos;

/// <summary>
/// What a user does to the one AgentConnector of real connectors while its consumers chat: configuration edits
/// (each a rolling restart), scaling down by two and back, stopping and starting one agent user, in turn.
/// Stopping or deleting the whole AgentConnector is left out: it hands every conversation back by design.
/// </summary>
internal sealed class RealConnectorsDriver(ApiServerDouble server, string @namespace, string name, int replicas)
{
    private int _turn;

    public Dictionary<string, int> Operations { get; } = [];

    public void Step()
    {
        var turn = _turn++;
        try
        {
            switch (turn % 5)
            {
                case 0:
                    Count("edit");
                    var delay = (100 + turn).ToString(CultureInfo.InvariantCulture);
                    Modify(spec => spec["customConfiguration"] = new JsonObject { [CustomConfigurationKeys.MessageDelay] = delay });
                    break;
                case 1:
                    Count("scale");
                    Modify(spec => spec["replicas"] = replicas - 2);
                    break;
                case 2:
                    Count("stop agent user");
                    Modify(spec => spec["agentUsers"]![turn % spec["agentUsers"]!.AsArray().Count]!["running"] = false);
                    break;
                case 3:
                    Count("scale");
                    Modify(spec => spec["replicas"] = replicas);
                    break;
                default:
                    Count("start agent user");
                    Modify(spec =>
                    {
                        foreach (var user in spec["agentUsers"]!.AsArray()) user!.AsObject().Remove("running");
                    });
                    break;
            }
        }
        catch (ApiStatusException e) when (e.Code == 409)
        {
            // Changed meanwhile (the operator's status write): the next turn goes on.
        }
    }

    private void Modify(Action<JsonObject> change) =>
        server.ModifyObject(ChaosObjects.ApiVersion, ChaosObjects.Kind, @namespace, name, current =>
        {
            change(current["spec"]!.AsObject());
            return current;
        });

    private void Count(string operation) => Operations[operation] = Operations.GetValueOrDefault(operation) + 1;
}
