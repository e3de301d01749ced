using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Faults;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>Custom configuration rules seen end to end: the real connector, the simulator, a scripted bot.</summary>
public sealed class RelayRulesTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());
        _bot = await TestBot.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private Task<ConnectorHost> StartAsync(string customConfiguration)
    {
        var env = ConnectorHarness.Environment(_sim, "bot1", _bot.Address);
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = customConfiguration;
        return ConnectorHarness.StartAsync(env, _logs);
    }

    [Fact]
    public async Task Unanswered_message_is_resent_then_escalated_to_the_fallback_skill()
    {
        _bot.Answer = request => TestBot.Type(request) == "message" ? new JsonObject() : TestBot.Reply("hello");
        await using var connector = await StartAsync("""{"messageResendMaxRetries":"2","retryMessageInterval":"200","fallbackEscalationTime":"1500"}""");
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "is anyone there");

        await Eventually.TrueAsync(() => _sim.GetState().Conversation(conversation).SkillId == "20", "fallback escalation to skill 20");
        Assert.Equal(3, _bot.EventsOfType("message").Count(t => t == "is anyone there"));
        Assert.Single(_sim.GetState().Conversation(conversation).Escalations);
    }

    [Fact]
    public async Task Failing_escalation_is_reported_to_the_bot_at_most_max_escalation_retries_times()
    {
        _bot.Answer = request => TestBot.Type(request) is "message" or "escalationFailed"
            ? new JsonObject { ["action"] = new JsonObject { ["type"] = "escalate", ["skillId"] = "20" } }
            : TestBot.Reply("hello");
        _sim.Faults.AddRequestFault(new RequestFault(".ams.cm.UpdateConversationField", TimeSpan.Zero, 500, null));
        await using var connector = await StartAsync("""{"maxEscalationRetries":"2"}""");
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "agent please");

        await Eventually.TrueAsync(() => _bot.EventsOfType("escalationFailed").Count == 2, "two escalationFailed events");
        await Task.Delay(500);
        Assert.Equal(["_agent_escalation_failed_", "_agent_escalation_failed_"], _bot.EventsOfType("escalationFailed"));
        Assert.Equal("10", _sim.GetState().Conversation(conversation).SkillId);
        var status = await connector.StatusAsync();
        Assert.Equal("EscalationFailed", status["lastError"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Step_up_sends_the_step_up_message_to_the_bot()
    {
        await using var connector = await StartAsync("""{"defaultStepupMessage":"STEP"}""");
        await connector.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10", "hi");
        await Eventually.TrueAsync(() => _bot.EventsOfType("message").Contains("hi"), "first message");

        _sim.StepUpConsumer(conversation, "authenticated-consumer");

        await Eventually.TrueAsync(() => _bot.EventsOfType("stepUp").Contains("STEP"), "stepUp event");
        var stepUp = _bot.Requests.Single(r => TestBot.Type(r.Body) == "stepUp").Body;
        Assert.Equal("authenticated-consumer", stepUp["context"]!["consumerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task External_webhook_gets_consumer_messages_with_the_bearer_key()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1", _sim.BotAddress);
        env["CONNECTOR_EXTERNAL_WEBHOOK_URL"] = _bot.Address.ToString();
        env["CONNECTOR_EXTERNAL_WEBHOOK_API_KEY"] = "webhook-key-123";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        _sim.OpenConversation("123", "10", "via webhook");

        await Eventually.TrueAsync(() => _bot.EventsOfType("message").Contains("via webhook"), "webhook call");
        Assert.All(_bot.Requests, r => Assert.Equal("Bearer webhook-key-123", r.Authorization));
        Assert.DoesNotContain("webhook-key-123", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_bot_shows_offline_bot_unreachable()
    {
        _bot.Answer = _ => null;
        await using var connector = await StartAsync("{}");
        await connector.WaitOnlineAsync();

        _sim.OpenConversation("123", "10", "hello");

        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["reason"]!.GetValue<string>() == "BotUnreachable", "BotUnreachable");
        var status = await connector.StatusAsync();
        Assert.Equal("Offline", status["state"]!.GetValue<string>());
        Assert.Equal("NotConnected", status["components"]!["bot"]!["status"]!.GetValue<string>());
        using var http = new HttpClient();
        var ready = await http.GetAsync(new Uri(connector.HealthAddress, "readyz"));
        Assert.Equal(503, (int)ready.StatusCode);
        var metrics = await http.GetStringAsync(new Uri(connector.HealthAddress, "metrics"));
        Assert.Contains("connector_bot_errors_total ", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("connector_bot_errors_total 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bot_reply_arriving_while_the_socket_is_down_is_published_after_the_reconnect()
    {
        _bot.Answer = request =>
        {
            if (TestBot.Text(request) == "drop now")
            {
                _sim.DropSockets("123", "bot1");
            }

            return TestBot.Reply("echo " + TestBot.Text(request));
        };
        var env = ConnectorHarness.Environment(_sim, "bot1", _bot.Address);
        env["CONNECTOR_TIMING_RECONNECT_INITIAL_MS"] = "600";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "drop now");

        await Eventually.TrueAsync(
            () => _sim.GetState().Conversation(conversation).Messages.Any(m => m.Text == "echo drop now"),
            "reply published after the reconnect");
        Assert.True(_sim.GetState().Counters.SocketsOpened >= 2);
    }
}
