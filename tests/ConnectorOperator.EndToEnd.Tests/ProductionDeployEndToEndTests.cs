using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>
/// Who may deploy to Production, with kubectl against the local cluster (RBAC on, config/rbac and config/policy
/// installed, the operator under its ServiceAccount): an editor runs Demo but not Production until bound to the
/// deployer role, and the operator then brings the Production connector Online.
/// </summary>
public sealed class ProductionDeployEndToEndTests
{
    [KubectlFact]
    public async Task An_editor_is_denied_production_until_bound_to_the_deployer_role_and_the_operator_brings_it_online()
    {
        await using var run = await ClusterUnderTest.StartAsync(writeKubeconfig: true);
        var admin = Kubectl.Find(run);
        var erin = admin.With(run.Cluster.Api.WriteKubeconfig(Path.Combine(run.Logs, "erin.kubeconfig"), run.Cluster.Api.IssueToken("erin")));
        foreach (var secret in DemoResources.Secrets(run.Cluster.Simulator.Options)) run.Cluster.Api.CreateObject(secret);
        await admin.SucceedAsync("apply", "-f", Manifest(run, "erin-edit.yaml", Binding("erin-edit", "edit")));

        Assert.Contains("created", await erin.SucceedAsync("apply", "-f", Manifest(run, "demo.yaml", Connector(run, "erin-demo", DeploymentEnvironment.Demo))), StringComparison.Ordinal);
        var (canExit, canOut, _) = await erin.RunAsync("auth", "can-i", "deploy-production", "agentconnectors");
        Assert.Equal((1, "no"), (canExit, canOut.Trim()));
        var production = Manifest(run, "production.yaml", Connector(run, "erin-production", DeploymentEnvironment.Production));
        var (deniedExit, _, denied) = await erin.RunAsync("apply", "-f", production);
        Assert.NotEqual(0, deniedExit);
        Assert.Contains("Error from server (Forbidden)", denied, StringComparison.Ordinal);
        Assert.Contains("user erin may not deploy AgentConnectors to Production in namespace default: it needs deploy-production on agentconnectors", denied, StringComparison.Ordinal);

        // The Production connector uses the same agent users: the Demo one lets them go first.
        await erin.SucceedAsync("delete", "agentconnector", "erin-demo", "--timeout=60s");
        await admin.SucceedAsync("apply", "-f", Manifest(run, "erin-deployer.yaml", Binding("erin-deployer", "agentconnector-production-deployer")));
        Assert.Equal("yes", (await erin.SucceedAsync("auth", "can-i", "deploy-production", "agentconnectors")).Trim());
        Assert.Contains("created", await erin.SucceedAsync("apply", "-f", production), StringComparison.Ordinal);
        await erin.SucceedAsync("wait", "--for=condition=Online", "agentconnector/erin-production", "--timeout=60s");
        Assert.DoesNotContain(run.Cluster.Api.AccessLog.For(ShippedRbac.OperatorUser), e => !e.Allowed);
    }

    private static JsonObject Connector(ClusterUnderTest run, string name, DeploymentEnvironment environment)
    {
        var connector = DemoResources.AgentConnector(run.Cluster.Simulator.Options, run.Cluster.Simulator.BotAddress);
        connector["metadata"]!["name"] = name;
        connector["spec"]!["environment"] = environment.ToString();
        return connector;
    }

    private static JsonObject Binding(string name, string clusterRole) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "RoleBinding",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = DemoResources.Namespace },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = clusterRole },
        ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = "erin" }),
    };

    // JSON is YAML: kubectl reads it as a manifest.
    private static string Manifest(ClusterUnderTest run, string file, JsonObject obj)
    {
        var path = Path.Combine(run.Logs, file);
        File.WriteAllText(path, obj.ToJsonString());
        return path;
    }
}
