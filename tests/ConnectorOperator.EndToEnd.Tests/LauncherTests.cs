using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Simulator.Options;

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
        public byte[] ReadAllBytes(string path) => throw new FileNotFoundException(path);
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
        var simulator = SimulatorOptions.CreateDefault();
        var json = DemoResources.AgentConnector(simulator, new Uri("http://127.0.0.1:1234/bot"));
        var connector = JsonSerializer.Deserialize(json.ToJsonString(), AgentConnectorJsonContext.Default.AgentConnector)!;

        var account = simulator.Accounts.Single(a => a.Id == connector.Spec.AccountId);
        Assert.Equal(account.Users.Where(u => u.IsBot).Select(u => u.LoginName), connector.Spec.AgentUsers.Select(u => u.LoginName));
        Assert.Empty(OperatorApp.Validate(connector.Spec).Errors);
    }

    [Fact]
    public void Demo_secrets_hold_the_credentials_the_simulator_accepts()
    {
        var simulator = SimulatorOptions.CreateDefault();
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
