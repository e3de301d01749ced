using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Simulator.Options;
using ConnectorOperator.Validation;

namespace ConnectorOperator.EndToEnd.Tests;

public sealed class LauncherTests
{
    private sealed class FakeEnvironment(Dictionary<string, string> variables, string? home, params string[] files) : IEnvironment
    {
        public string? GetVariable(string name) => variables.GetValueOrDefault(name);
        public string? HomeDirectory => home;
        public string ServiceAccountDirectory => "/nowhere";
        public bool FileExists(string path) => files.Contains(path);
        public string ReadAllText(string path) => throw new FileNotFoundException(path);
    }

    [Fact]
    public void A_cluster_is_configured_by_KUBECONFIG_in_cluster_variables_or_the_home_kubeconfig()
    {
        Assert.False(Launcher.ClusterConfigured(new FakeEnvironment([], "/home/dev")));
        Assert.True(Launcher.ClusterConfigured(new FakeEnvironment(new() { ["KUBECONFIG"] = "/tmp/k" }, "/home/dev")));
        Assert.True(Launcher.ClusterConfigured(new FakeEnvironment(new() { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" }, null)));
        Assert.True(Launcher.ClusterConfigured(new FakeEnvironment([], "/home/dev", Path.Combine("/home/dev", ".kube", "config"))));
    }

    [Fact]
    public void Demo_connector_names_the_simulators_account_and_bot_users_and_passes_the_operators_own_validation()
    {
        var simulator = DemoResources.Simulator();
        var json = DemoResources.AgentConnector(simulator, new Uri("http://127.0.0.1:1234/bot"));
        var connector = JsonSerializer.Deserialize(json.ToJsonString(), AgentConnectorJsonContext.Default.AgentConnector)!;

        var account = simulator.Accounts.Single(a => a.Id == connector.Spec.AccountId);
        Assert.Equal(account.Users.Where(u => u.IsBot).Select(u => u.LoginName), connector.Spec.AgentUsers.Select(u => u.LoginName));
        Assert.Empty(SpecValidator.Validate(connector.Spec).Errors);
    }

    [Fact]
    public void Demo_secrets_hold_the_credentials_the_simulator_accepts()
    {
        var simulator = DemoResources.Simulator();
        var secrets = DemoResources.Secrets(simulator).ToDictionary(s => s["metadata"]!["name"]!.GetValue<string>());
        foreach (var user in DemoResources.Account(simulator).Users.Where(u => u.IsBot))
        {
            var data = secrets[DemoResources.SecretName(user)]["stringData"]!;
            if (user.AppKey is not null)
            {
                Assert.Equal(user.AppKey, data["appKey"]!.GetValue<string>());
                Assert.Equal(user.AccessTokenSecret, data["accessTokenSecret"]!.GetValue<string>());
            }
            else
            {
                Assert.Equal(user.Password, data["password"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Demo_starts_at_two_connectors_and_its_traffic_peak_needs_four_with_agent_users_to_spare()
    {
        var simulator = DemoResources.Simulator();
        var json = DemoResources.AgentConnector(simulator, new Uri("http://127.0.0.1:1234/bot"));
        var scaling = JsonSerializer.Deserialize(json.ToJsonString(), AgentConnectorJsonContext.Default.AgentConnector)!.Spec.Scaling!;
        var ramp = new TrafficRamp();

        Assert.Equal(2, scaling.MinReplicas);
        Assert.Equal(4, (int)Math.Ceiling(ramp.Peak / (double)scaling.ConversationsPerConnector));
        Assert.True(DemoResources.Account(simulator).Users.Count(u => u.IsBot) >= 5);
        Assert.True(scaling.MaxReplicas >= 5);
        // Every wave still holds its conversations when the last one has opened, so the peak is really reached.
        Assert.True(ramp.Hold >= ramp.WaveInterval * ramp.Waves);
        Assert.Equal(30, scaling.ScaleDownStabilizationSeconds);
        // The simulator's own defaults stay as they are for everything else.
        Assert.Equal(3, SimulatorOptions.CreateDefault().Accounts[0].Users.Count);
    }

    [Fact]
    public void Repository_layout_is_found_from_below_the_root_and_names_the_connector_build()
    {
        var layout = RepositoryLayout.Find(AppContext.BaseDirectory)!;
        Assert.True(File.Exists(Path.Combine(layout.Root, RepositoryLayout.SolutionFile)));
        Assert.Equal(Path.Combine(layout.Root, ".local", "kubeconfig"), layout.KubeconfigPath);
        Assert.EndsWith(Path.Combine("src", "ConnectorOperator.Connector", "bin", "Release", "net10.0", "connector.dll"), layout.ConnectorAssembly("Release"), StringComparison.Ordinal);
        // The launcher looks for the connector built in its own configuration; this project builds it alongside.
        Assert.True(File.Exists(layout.ConnectorAssembly(RepositoryLayout.Configuration)), layout.ConnectorAssembly(RepositoryLayout.Configuration));
    }
}
