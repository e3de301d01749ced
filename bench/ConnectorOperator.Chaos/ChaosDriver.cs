using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.Chaos;

/// <summary>
/// What users do to AgentConnectors, at random (seeded): create, edit the configuration (a rollout), scale, stop and
/// start the whole connector or one agent user, delete. It writes in-process, past the injected API faults, because
/// only the operator is under test.
/// </summary>
internal sealed class ChaosDriver(ApiServerDouble server, int connectors, Random random)
{
    private int _edits;

    public Dictionary<string, int> Operations { get; } = [];

    public static string NameOf(int index) => $"chaos-{index:D3}";

    /// <summary>Creates every AgentConnector (and its Secret) that does not exist yet.</summary>
    public void CreateAll()
    {
        for (var i = 0; i < connectors; i++) Create(NameOf(i));
    }

    public void Step()
    {
        var name = NameOf(random.Next(connectors));
        var existing = server.GetObject(ChaosObjects.ApiVersion, ChaosObjects.Kind, ChaosObjects.Namespace, name);
        if (existing is null)
        {
            Create(name);
            return;
        }
        if (ChaosObjects.Deleting(existing)) return;
        var roll = random.Next(100);
        try
        {
            switch (roll)
            {
                case < 25:
                    Count("edit");
                    var delay = (300 + Interlocked.Increment(ref _edits)).ToString(CultureInfo.InvariantCulture);
                    Modify(name, spec => spec["customConfiguration"] = new JsonObject { ["messageDelay"] = delay });
                    break;
                case < 50:
                    Count("scale");
                    var replicas = 1 + random.Next(ChaosObjects.AgentUsersPerConnector);
                    Modify(name, spec => spec["replicas"] = replicas);
                    break;
                case < 65:
                    var running = existing["spec"]?["running"]?.GetValue<bool>() != false;
                    Count(running ? "stop" : "start");
                    Modify(name, spec => spec["running"] = !running);
                    break;
                case < 80:
                    var user = random.Next(ChaosObjects.AgentUsersPerConnector);
                    var userRunning = existing["spec"]!["agentUsers"]![user]!["running"]?.GetValue<bool>() != false;
                    Count(userRunning ? "stop agent user" : "start agent user");
                    Modify(name, spec => spec["agentUsers"]![user]!["running"] = !userRunning);
                    break;
                default:
                    Count("delete");
                    server.DeleteObject(ChaosObjects.ApiVersion, ChaosObjects.Kind, ChaosObjects.Namespace, name);
                    break;
            }
        }
        catch (ApiStatusException e) when (e.Code is 404 or 409)
        {
            // Deleted or changed meanwhile: the next step picks again.
        }
    }

    private void Create(string name)
    {
        try
        {
            if (server.GetObject("v1", "Secret", ChaosObjects.Namespace, $"{name}-credentials") is null) server.CreateObject(ChaosObjects.CredentialsSecret(name));
            server.CreateObject(ChaosObjects.Connector(name, replicas: 1 + random.Next(ChaosObjects.AgentUsersPerConnector)));
            Count("create");
        }
        catch (ApiStatusException e) when (e.Code == 409)
        {
            // Still being deleted (its finalizer drains the connectors first).
        }
    }

    private void Modify(string name, Action<JsonObject> change) =>
        server.ModifyObject(ChaosObjects.ApiVersion, ChaosObjects.Kind, ChaosObjects.Namespace, name, current =>
        {
            change(current["spec"]!.AsObject());
            return current;
        });

    private void Count(string operation) => Operations[operation] = Operations.GetValueOrDefault(operation) + 1;
}
