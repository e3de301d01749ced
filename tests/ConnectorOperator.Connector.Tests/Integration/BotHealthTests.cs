using System.Net;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>The bot health probe and what a down bot changes: no new conversations, waiting consumers to the fallback skill.</summary>
public sealed class BotHealthTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;
    private TestBot _bot = null!;
    private TestBot _otherBot = null!;

    public async Task InitializeAsync()
    {
        _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());
        _bot = await TestBot.StartAsync();
        _otherBot = await TestBot.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _otherBot.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private Task<ConnectorHost> StartAsync(string user, TestBot bot)
    {
        var env = ConnectorHarness.Environment(_sim, user, bot.Address);
        env["CONNECTOR_TIMING_BOT_PROBE_MS"] = "200";
        return ConnectorHarness.StartAsync(env, _logs);
    }

    private string Availability(string user) => _sim.GetState().Agent("123", user).Availability;

    [Fact]
    public async Task The_bot_is_probed_at_start_and_the_connector_is_not_online_until_it_answers()
    {
        _bot.Healthy = false;
        await using var connector = await StartAsync("bot1", _bot);

        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["reason"]!.GetValue<string>() == "BotUnreachable", "Offline BotUnreachable from the probe");
        var status = await connector.StatusAsync();
        Assert.Equal("Offline", status["state"]!.GetValue<string>());
        Assert.Contains("503", status["components"]!["bot"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Connected", status["components"]!["conversationalCloud"]!["status"]!.GetValue<string>());
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri(connector.HealthAddress, "readyz"))).StatusCode);
        Assert.Equal("AWAY", Availability("bot1"));
        Assert.Empty(_bot.Requests);

        _bot.Healthy = true;

        await connector.WaitOnlineAsync();
        Assert.Equal("ONLINE", Availability("bot1"));
        Assert.Equal("Connected", (await connector.StatusAsync())["components"]!["bot"]!["status"]!.GetValue<string>());
        Assert.All(_bot.Probes, p => Assert.Equal("healthCheck", TestBot.Type(p.Body)));
        Assert.True(_bot.Probes.Count >= 2);
    }

    [Fact]
    public async Task While_its_bot_is_down_a_connector_takes_no_new_conversation_so_routing_gives_them_to_one_whose_bot_answers()
    {
        await using var failing = await StartAsync("bot1", _bot);
        await using var healthy = await StartAsync("bot2", _otherBot);
        await failing.WaitOnlineAsync();
        await healthy.WaitOnlineAsync();

        _bot.Healthy = false;
        await Eventually.TrueAsync(() => Availability("bot1") == "AWAY", "the connector with the down bot went AWAY");
        var conversations = Enumerable.Range(0, 4).Select(i => _sim.OpenConversation("123", "10", $"hello {i}")).ToList();

        await Eventually.TrueAsync(() => conversations.All(c => _sim.GetState().Conversation(c).AssignedAgent == "bot2"), "every new conversation went to bot2");
        Assert.Equal(0, (await failing.StatusAsync())["activeConversations"]!.GetValue<int>());

        _bot.Healthy = true;
        await Eventually.TrueAsync(() => Availability("bot1") == "ONLINE", "ONLINE again once the bot answers");
    }

    [Fact]
    public async Task A_consumer_waiting_when_the_bot_goes_down_is_handed_to_the_fallback_skill()
    {
        // The bot greets, then fails every message: the consumer's message cannot reach it.
        _bot.Answer = request => TestBot.Type(request) == "greeting" ? TestBot.Reply("hi there") : null;
        await using var connector = await StartAsync("bot1", _bot);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10");
        await Eventually.TrueAsync(() => _bot.EventsOfType("greeting").Count == 1, "greeting");
        _sim.SendConsumerMessage(conversation, "are you there?");

        // Harness fallback skill: 20.
        await Eventually.TrueAsync(() => _sim.GetState().Conversation(conversation).SkillId == "20", "handed to the fallback skill");
        Assert.Null(_sim.GetState().Conversation(conversation).AssignedAgent);
        Assert.Contains("the bot is down, handing the waiting consumer to the fallback skill 20", _logs.All, StringComparison.Ordinal);
    }
}
