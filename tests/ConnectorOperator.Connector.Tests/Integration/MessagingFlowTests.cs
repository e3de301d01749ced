using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;

namespace ConnectorOperator.Connector.Tests.Integration;

public sealed class MessagingFlowTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync() => _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private IReadOnlyList<string> AgentLines(string conversationId) =>
        _sim.GetState().Conversation(conversationId).Messages.Where(m => m.Role != "CONSUMER").Select(m => m.Text ?? "").ToList();

    [Fact]
    public async Task Api_key_login_accepts_the_ring_greets_and_relays_aggregated_messages()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "hello");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: hello"), "bot answer to the first message");
        Assert.StartsWith("Hi! I am the sample bot", AgentLines(conversation)[0], StringComparison.Ordinal);

        _sim.SendConsumerMessage(conversation, "how");
        _sim.SendConsumerMessage(conversation, "are you");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: how are you"), "aggregated answer");

        var state = _sim.GetState();
        Assert.Equal(1, state.Counters.Logins);
        Assert.Contains(state.Sessions, s => s.LoginName == "bot1" && s.LoginMethod.Contains("key", StringComparison.OrdinalIgnoreCase));
        Assert.True(state.Counters.AcceptStatusEvents >= 2);
        var status = await connector.StatusAsync();
        Assert.Equal(1, status["activeConversations"]!.GetValue<int>());
        foreach (var secret in ConnectorHarness.Secrets(env))
        {
            Assert.DoesNotContain(secret, _logs.All, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, status.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Password_login_goes_online_with_a_warning()
    {
        var env = ConnectorHarness.Environment(_sim, "bot3");
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "ping");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: ping"), "bot answer");
        Assert.Contains("API-key login is preferred", _logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("bot3-password", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_an_agent_transfers_to_the_bots_skill()
    {
        await using var connector = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot1"), _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "hello");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: hello"), "first answer");
        _sim.SendConsumerMessage(conversation, "I want an agent");

        await Eventually.TrueAsync(() => _sim.GetState().Conversation(conversation).SkillId == "20", "transfer to skill 20");
        var snapshot = _sim.GetState().Conversation(conversation);
        Assert.Single(snapshot.Escalations);
        Assert.Null(snapshot.AssignedAgent);
        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["activeConversations"]!.GetValue<int>() == 0, "conversation released");
    }

    [Fact]
    public async Task Messages_further_apart_than_message_delay_get_separate_answers()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"messageDelay":"200"}""";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10", "hello");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: hello"), "first answer");

        _sim.SendConsumerMessage(conversation, "one");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: one"), "answer to one");
        _sim.SendConsumerMessage(conversation, "two");

        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: two"), "answer to two");
        Assert.DoesNotContain("You said: one two", AgentLines(conversation));
    }
}
