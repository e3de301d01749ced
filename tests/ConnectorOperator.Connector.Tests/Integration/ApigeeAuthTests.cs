using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>apigee_*: the external webhook's bearer is an OAuth 2.0 token from the simulator's token endpoint.</summary>
public sealed class ApigeeAuthTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;
    private TestBot _webhook = null!;

    public async Task InitializeAsync()
    {
        var options = ConnectorHarness.FastSimulatorOptions();
        options.Apigee = new ApigeeOptions { ClientId = "brand-client", ClientSecret = "brand-client-secret-value", Audience = "bots", TokenLifetime = TimeSpan.FromHours(1) };
        _sim = await ConversationalCloudSimulator.StartAsync(options);
        _webhook = await TestBot.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _webhook.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private Dictionary<string, string> Environment(string clientSecret)
    {
        var env = ConnectorHarness.Environment(_sim, "bot1", _sim.BotAddress);
        env["CONNECTOR_EXTERNAL_WEBHOOK_URL"] = _webhook.Address.ToString();
        env["CONNECTOR_APIGEE_CLIENT_SECRET"] = clientSecret;
        env["CONNECTOR_TIMING_BOT_PROBE_MS"] = "200";
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = $$"""
            {"apigee_auth_url":"{{_sim.ApigeeTokenAddress}}","apigee_grant_type":"client_credentials","apigee_audience":"bots","apigee_client_id":"brand-client"}
            """;
        return env;
    }

    [Fact]
    public async Task The_webhook_gets_the_token_as_its_bearer_and_the_token_is_fetched_once_while_it_is_valid()
    {
        await using var connector = await ConnectorHarness.StartAsync(Environment("brand-client-secret-value"), _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "first");
        await Eventually.TrueAsync(() => _webhook.EventsOfType("message").Contains("first"), "first message");
        _sim.SendConsumerMessage(conversation, "second");
        await Eventually.TrueAsync(() => _webhook.EventsOfType("message").Contains("second"), "second message");

        Assert.Equal(1, _sim.Apigee.TokensIssued);
        var request = Assert.Single(_sim.Apigee.Requests);
        Assert.Equal("client_credentials", request["grant_type"]);
        Assert.Equal("bots", request["audience"]);
        Assert.Equal("brand-client", request["client_id"]);
        var bearers = _webhook.Requests.Concat(_webhook.Probes).Select(r => r.Authorization).Distinct().ToList();
        var bearer = Assert.Single(bearers);
        Assert.True(_sim.Apigee.IsValid(bearer!["Bearer ".Length..]), "the webhook got the issued token");
        Assert.DoesNotContain("brand-client-secret-value", _logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("brand-client-secret-value", (await connector.StatusAsync()).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_renewed_shortly_before_it_expires()
    {
        _sim.Options.Apigee!.TokenLifetime = TimeSpan.FromSeconds(2);
        await using var connector = await ConnectorHarness.StartAsync(Environment("brand-client-secret-value"), _logs);
        await connector.WaitOnlineAsync();

        // Renewed at half the lifetime when that is under a minute: the 200 ms probes need a second token within ~1 s.
        await Eventually.TrueAsync(() => _sim.Apigee.TokensIssued >= 2, "a second token before the first expired", TimeSpan.FromSeconds(10));
        Assert.All(_webhook.Probes.TakeLast(1), p => Assert.True(_sim.Apigee.IsValid(p.Authorization!["Bearer ".Length..])));
    }

    [Fact]
    public async Task A_refused_token_request_shows_in_the_bot_component_with_its_reason()
    {
        await using var connector = await ConnectorHarness.StartAsync(Environment("wrong-client-secret"), _logs);

        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["components"]!["bot"]!["status"]!.GetValue<string>() == "NotConnected", "bot NotConnected");
        var status = await connector.StatusAsync();
        var message = status["components"]!["bot"]!["message"]!.GetValue<string>();
        Assert.Contains("Apigee token endpoint", message, StringComparison.Ordinal);
        Assert.Contains("401", message, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["reason"]!.GetValue<string>() == "BotUnreachable", "Offline BotUnreachable");
        Assert.Empty(_webhook.Requests.Concat(_webhook.Probes));
        Assert.DoesNotContain("wrong-client-secret", _logs.All, StringComparison.Ordinal);
    }
}
