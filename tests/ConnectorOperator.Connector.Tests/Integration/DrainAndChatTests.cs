using System.Net;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;

namespace ConnectorOperator.Connector.Tests.Integration;

public sealed class DrainAndChatTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync() => _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private IReadOnlyList<string> AgentLines(string conversationId) =>
        _sim.GetState().Conversation(conversationId).Messages.Where(m => m.Role != "CONSUMER").Select(m => m.Text ?? "").ToList();

    /// <summary>bot1 answers <paramref name="count"/> conversations, then bot2 comes online to take them over.</summary>
    private async Task<HandOver> StartHandOverAsync(int count)
    {
        var first = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot1"), _logs);
        var handOver = new HandOver(first);
        await first.WaitOnlineAsync();
        handOver.Conversations.AddRange(Enumerable.Range(0, count).Select(i => _sim.OpenConversation("123", "10", $"hello {i}")));
        await Eventually.TrueAsync(() => handOver.Conversations.All(c => AgentLines(c).Contains($"You said: hello {handOver.Conversations.IndexOf(c)}")), "all answered by bot1");
        handOver.Second = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot2"), new CapturedLogs());
        await handOver.Second.WaitOnlineAsync();
        return handOver;
    }

    /// <summary>A connector with 1 s to drain and one open conversation whose hand-back hangs for 8 s.</summary>
    private async Task<ConnectorHost> StartWithStuckDrainAsync()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_DRAIN_SECONDS"] = "1";
        var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10", "hello");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: hello"), "answered");
        _sim.Faults.AddRequestFault(new ConnectorOperator.Simulator.Faults.RequestFault(".ams.cm.UpdateConversationField", TimeSpan.FromSeconds(8), null, null));
        return connector;
    }

    private sealed class HandOver(ConnectorHost first) : IAsyncDisposable
    {
        public ConnectorHost First { get; } = first;

        public ConnectorHost? Second { get; set; }

        public List<string> Conversations { get; } = [];

        public async ValueTask DisposeAsync()
        {
            if (Second is not null)
            {
                await Second.DisposeAsync();
            }

            await First.DisposeAsync();
        }
    }

    [Fact]
    public async Task Drain_hands_every_conversation_to_the_other_connector_and_exits_zero()
    {
        await using var handOver = await StartHandOverAsync(3);
        var conversations = handOver.Conversations;

        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri(handOver.First.HealthAddress, "drain"), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var exitCode = await handOver.First.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, exitCode);
        await Eventually.TrueAsync(() => conversations.All(c => _sim.GetState().Conversation(c).AssignedAgent == "bot2"), "all conversations with bot2");
        var state = _sim.GetState();
        Assert.All(conversations, c => Assert.Equal("10", state.Conversation(c).SkillId));
        Assert.Equal(1, state.Counters.Logouts);
        Assert.Null(state.Agent("123", "bot1").LiveSessionId);

        foreach (var conversation in conversations)
        {
            _sim.SendConsumerMessage(conversation, "are you the new bot");
        }

        await Eventually.TrueAsync(() => conversations.All(c => AgentLines(c).Contains("You said: are you the new bot")), "bot2 answers");
        Assert.All(conversations, c => Assert.DoesNotContain(AgentLines(c), l => l.StartsWith("Hi! I am", StringComparison.Ordinal) && AgentLines(c).Count(x => x == l) > 1));
    }

    [Fact]
    public async Task Get_drain_answers_200_only_once_conversations_are_handed_back_and_the_agent_logged_out()
    {
        await using var handOver = await StartHandOverAsync(2);

        // What a pod's preStop httpGet hook sends; the kubelet's SIGTERM follows the answer.
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(handOver.First.HealthAddress, "drain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"draining":true,"drained":true}""", await response.Content.ReadAsStringAsync());
        var state = _sim.GetState();
        Assert.Equal(1, state.Counters.Logouts);
        Assert.Null(state.Agent("123", "bot1").LiveSessionId);
        Assert.All(handOver.Conversations, c => Assert.NotEqual("bot1", state.Conversation(c).AssignedAgent));
        Assert.Equal(0, await handOver.First.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Get_drain_that_cannot_finish_answers_within_the_drain_time()
    {
        await using var connector = await StartWithStuckDrainAsync();

        var started = DateTime.UtcNow;
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(connector.HealthAddress, "drain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"draining":true,"drained":false}""", await response.Content.ReadAsStringAsync());
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Equal(0, await connector.Completion.WaitAsync(TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task Draining_connector_reports_draining_and_not_ready()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();
        // Hold the drain's AWAY request so the draining state can be observed.
        _sim.Faults.AddRequestFault(new ConnectorOperator.Simulator.Faults.RequestFault(".ams.routing.SetAgentState", TimeSpan.FromSeconds(1), null, 1));

        connector.RequestDrain();

        var status = await connector.StatusAsync();
        Assert.Equal("Draining", status["state"]!.GetValue<string>());
        Assert.True(status["draining"]!.GetValue<bool>());
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri(connector.HealthAddress, "readyz"))).StatusCode);
        Assert.Equal(0, await connector.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Chat_connector_greets_relays_lines_and_transfers_to_the_fallback_skill_on_escalation()
    {
        await using var bot = await TestBot.StartAsync();
        bot.Answer = request => TestBot.Text(request) == "human please"
            ? new System.Text.Json.Nodes.JsonObject { ["action"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "escalate" } }
            : TestBot.Reply("echo " + TestBot.Text(request));
        var env = ConnectorHarness.Environment(_sim, "chatbot1", bot.Address, accountId: "456");
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"defaultGreetingMessage":"hello bot"}""";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var chat = _sim.OpenConversation("456", "30", "hi there");

        await Eventually.TrueAsync(() => AgentLines(chat).Contains("echo hi there"), "chat line answered");
        Assert.Equal("echo hello bot", AgentLines(chat)[0]);
        _sim.SendConsumerMessage(chat, "second line");
        await Eventually.TrueAsync(() => AgentLines(chat).Contains("echo second line"), "second line answered");

        _sim.SendConsumerMessage(chat, "human please");
        await Eventually.TrueAsync(() => _sim.GetState().Conversation(chat).SkillId == "40", "chat transferred to the fallback skill");
        Assert.Equal("Online", await connector.StateAsync());
        Assert.All(bot.Requests, r => Assert.Equal("Chat", r.Body["conversationType"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Chat_connector_ends_the_chat_when_the_bot_closes()
    {
        await using var connector = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "chatbot1", accountId: "456"), _logs);
        await connector.WaitOnlineAsync();

        var chat = _sim.OpenConversation("456", "30", "bye now");

        await Eventually.TrueAsync(() => _sim.GetState().Conversation(chat).ClosedAt is not null, "chat ended");
        Assert.Contains("Goodbye!", AgentLines(chat));
    }

    [Fact]
    public async Task Chat_drain_returns_chats_to_the_queue_for_the_other_connector()
    {
        await using var sim = await ConversationalCloudSimulator.StartAsync(TwoChatBots());
        await using var first = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(sim, "chatbot1", accountId: "456"), _logs);
        await first.WaitOnlineAsync();
        var chat = sim.OpenConversation("456", "30", "first question");
        await Eventually.TrueAsync(() => Lines(sim, chat).Contains("You said: first question"), "answered by chatbot1");
        await using var second = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(sim, "chatbot2", accountId: "456"), new CapturedLogs());
        await second.WaitOnlineAsync();

        first.RequestDrain();

        Assert.Equal(0, await first.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        await Eventually.TrueAsync(() => sim.GetState().Conversation(chat).AssignedAgent == "chatbot2", "chat with chatbot2");
        sim.SendConsumerMessage(chat, "second question");
        await Eventually.TrueAsync(() => Lines(sim, chat).Contains("You said: second question"), "answered by chatbot2");
        Assert.Single(Lines(sim, chat), l => l == "You said: first question");
        Assert.Single(Lines(sim, chat), l => l.StartsWith("Hi! I am", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drain_that_cannot_finish_still_exits_within_the_drain_time()
    {
        await using var connector = await StartWithStuckDrainAsync();

        var started = DateTime.UtcNow;
        connector.RequestDrain();
        var exitCode = await connector.Completion.WaitAsync(TimeSpan.FromSeconds(6));

        Assert.Equal(0, exitCode);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.Contains("Drain did not finish within 1 s", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_connector_rides_out_a_short_outage_of_the_chat_api()
    {
        await using var connector = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "chatbot1", accountId: "456"), _logs);
        await connector.WaitOnlineAsync();
        var chat = _sim.OpenConversation("456", "30", "before");
        await Eventually.TrueAsync(() => AgentLines(chat).Contains("You said: before"), "first answer");

        _sim.Faults.AddRequestFault(new ConnectorOperator.Simulator.Faults.RequestFault("chat", TimeSpan.Zero, 503, 3));
        await Eventually.TrueAsync(() => _logs.All.Contains("Chat poll failed", StringComparison.Ordinal), "poll failure seen");
        _sim.SendConsumerMessage(chat, "after");

        await Eventually.TrueAsync(() => AgentLines(chat).Contains("You said: after"), "answer after the outage");
        Assert.Equal(1, _sim.GetState().Counters.Logins);
    }

    private static IReadOnlyList<string> Lines(ConversationalCloudSimulator sim, string conversationId) =>
        sim.GetState().Conversation(conversationId).Messages.Where(m => m.Role != "CONSUMER").Select(m => m.Text ?? "").ToList();

    private static ConnectorOperator.Simulator.Options.SimulatorOptions TwoChatBots()
    {
        var options = ConnectorHarness.FastSimulatorOptions();
        options.Accounts.Single(a => a.Id == "456").Users.Add(
            ConnectorOperator.Simulator.Options.AgentUserOptions.WithPassword("chatbot2", 2002, "chatbot2-password", ["30"]));
        return options;
    }
}
