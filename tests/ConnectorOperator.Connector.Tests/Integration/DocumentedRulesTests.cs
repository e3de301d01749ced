using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>Custom configuration and accessibility as the source documents describe them, against the simulator.</summary>
public sealed class DocumentedRulesTests : IAsyncLifetime
{
    private static readonly string ButtonCard = """
        {"type":"vertical","elements":[
          {"type":"text","text":"Pick one"},
          {"type":"button","title":"Yes please","click":{"actions":[{"type":"publishText","text":"Yes please"},{"type":"postback","value":"ANSWER_YES"}]}},
          {"type":"image","url":"https://example.com/a.png","caption":"A red bicycle"}]}
        """;

    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());
        _bot = await TestBot.StartAsync();
        _bot.Answer = request => TestBot.Type(request) == "greeting"
            ? new JsonObject { ["replies"] = new JsonArray(new JsonObject { ["structuredContent"] = JsonNode.Parse(ButtonCard) }), ["seen"] = true }
            : TestBot.Reply("got " + TestBot.Text(request));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private string? PublishedChoice(string conversationId) =>
        _sim.GetState().Conversation(conversationId).Messages
            .Where(m => m.Type == "RichContentEvent")
            .Select(m => JsonNode.Parse(m.Text!)!["elements"]![1]!["click"]!["actions"]!.AsArray()
                .Single(a => a!["type"]!.GetValue<string>() == "publishText")!["text"]!.GetValue<string>())
            .FirstOrDefault();

    [Theory]
    [InlineData("false", "ANSWER_YES")]
    [InlineData("true", "Yes please")]
    public async Task Button_text_on_postback_decides_what_the_consumer_sees_while_the_bot_always_gets_the_callback_value(string setting, string shown)
    {
        var env = ConnectorHarness.Environment(_sim, "bot1", _bot.Address);
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = $$"""{"enableButtonTextOnPostback":"{{setting}}"}""";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10");
        await Eventually.TrueAsync(() => PublishedChoice(conversation) is not null, "the card was published");
        Assert.Equal(shown, PublishedChoice(conversation));

        // The consumer clicks: the messaging window publishes the click's text.
        _sim.SendConsumerMessage(conversation, shown);

        await Eventually.TrueAsync(() => _bot.Requests.Any(r => TestBot.Type(r.Body) == "message"), "the click reached the bot");
        var click = _bot.Requests.Single(r => TestBot.Type(r.Body) == "message").Body["event"]!;
        Assert.Equal(shown, click["text"]!.GetValue<string>());
        Assert.Equal("ANSWER_YES", click["buttonPayload"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_keeps_the_tooltips_as_text_when_it_flattens_structured_content()
    {
        var env = ConnectorHarness.Environment(_sim, "chatbot1", _bot.Address, accountId: "456");
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var chat = _sim.OpenConversation("456", "30");

        await Eventually.TrueAsync(() => _sim.GetState().Conversation(chat).Messages.Any(m => m.Role != "CONSUMER" && m.Text is not null), "the card as a line");
        var line = _sim.GetState().Conversation(chat).Messages.First(m => m.Role != "CONSUMER" && m.Text is not null).Text;
        // Accessibility is on by default: the button's and the image's accessible text stay in the line.
        Assert.Equal("Pick one Yes please A red bicycle", line);
    }

    [Fact]
    public async Task Skip_agent_message_false_shows_a_bot_the_agent_line_a_conversation_was_handed_over_with()
    {
        // bot1's bot greets and answers; when bot1 drains, bot2 takes the conversation whose last line is bot1's answer.
        await using var first = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot1", _bot.Address), _logs);
        await first.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10", "hello");
        await Eventually.TrueAsync(() => _sim.GetState().Conversation(conversation).Messages.Any(m => m.Text == "got hello"), "first bot answered");
        await using var secondBot = await TestBot.StartAsync();
        await using var second = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot2", secondBot.Address), new CapturedLogs());
        await second.WaitOnlineAsync();

        first.RequestDrain();

        await Eventually.TrueAsync(() => !secondBot.Requests.IsEmpty, "the second bot got the conversation", TimeSpan.FromSeconds(20));
        var seen = Assert.Single(secondBot.Requests).Body["event"]!;
        Assert.Equal(("message", "got hello"), (seen["type"]!.GetValue<string>(), seen["text"]!.GetValue<string>()));
    }
}
