using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Options;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Tests.Support;

/// <summary>Builds connector environments for the simulator's default accounts and starts connectors in-process.</summary>
public static class ConnectorHarness
{
    public static SimulatorOptions FastSimulatorOptions()
    {
        var options = SimulatorOptions.CreateDefault();
        options.SweepInterval = TimeSpan.FromMilliseconds(50);
        return options;
    }

    /// <summary>Environment of a connector for a default simulator user (credentials as the simulator seeds them).</summary>
    public static Dictionary<string, string> Environment(ConversationalCloudSimulator sim, string user, Uri? bot = null, string accountId = "123")
    {
        var env = new Dictionary<string, string>
        {
            ["CONNECTOR_ACCOUNT_ID"] = accountId,
            ["CONNECTOR_AGENT_USER"] = user,
            ["CONNECTOR_ROLE"] = "Agent",
            ["CONNECTOR_CONVERSATION_TYPE"] = accountId == "456" ? "Chat" : "Messaging",
            ["CONNECTOR_ENVIRONMENT"] = "Demo",
            ["CONNECTOR_BOT_ID"] = "b1",
            ["CONNECTOR_BOT_ENDPOINT"] = (bot ?? sim.BotAddress).ToString(),
            ["CONNECTOR_FALLBACK_SKILL_ID"] = accountId == "456" ? "40" : "20",
            ["CONNECTOR_CSDS_DOMAIN"] = sim.CsdsAddress.ToString().TrimEnd('/'),
            ["CONNECTOR_CAPACITY"] = "10",
            ["CONNECTOR_REVISION"] = "rev-test",
            ["CONNECTOR_HTTP_PORT"] = "0",
            ["CONNECTOR_HTTP_ADDRESS"] = "127.0.0.1",
            ["CONNECTOR_DRAIN_SECONDS"] = "10",
            ["CONNECTOR_TIMING_RECONNECT_INITIAL_MS"] = "100",
            ["CONNECTOR_TIMING_RECONNECT_MAX_MS"] = "1000",
            ["CONNECTOR_TIMING_CHAT_POLL_MS"] = "100",
        };
        var options = sim.Options.Accounts.Single(a => a.Id == accountId).Users.Single(u => u.LoginName == user);
        if (options.AppKey is not null)
        {
            env["LP_APP_KEY"] = options.AppKey;
            env["LP_APP_SECRET"] = options.AppSecret!;
            env["LP_ACCESS_TOKEN"] = options.AccessToken!;
            env["LP_ACCESS_TOKEN_SECRET"] = options.AccessTokenSecret!;
        }
        else
        {
            env["LP_PASSWORD"] = options.Password!;
        }

        return env;
    }

    public static IEnumerable<string> Secrets(Dictionary<string, string> env) =>
        env.Where(e => e.Key.StartsWith("LP_", StringComparison.Ordinal) || e.Key == "CONNECTOR_EXTERNAL_WEBHOOK_API_KEY").Select(e => e.Value);

    public static async Task<ConnectorHost> StartAsync(Dictionary<string, string> env, CapturedLogs logs, TimeProvider? time = null)
    {
        var settings = ConnectorSettings.Read(env, out var errors);
        Assert.True(settings is not null, string.Join("; ", errors));
        return await ConnectorHost.StartAsync(settings, logging => logging.AddProvider(logs), time);
    }

    public static async Task<JsonObject> StatusAsync(this ConnectorHost host)
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonObject>(new Uri(host.HealthAddress, "status")))!;
    }

    public static async Task<string> StateAsync(this ConnectorHost host) => (await host.StatusAsync())["state"]!.GetValue<string>();

    public static async Task WaitOnlineAsync(this ConnectorHost host) =>
        await Eventually.TrueAsync(async () => await host.StateAsync() == "Online", "connector Online", TimeSpan.FromSeconds(15));
}
