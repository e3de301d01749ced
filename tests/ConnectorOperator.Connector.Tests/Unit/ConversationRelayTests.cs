using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Messaging;
using ConnectorOperator.Connector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class ConversationRelayTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly FakeBot _bot = new();
    private readonly FakeActions _actions = new();
    private ConversationRelay? _relay;

    private static RelayOptions Options => new()
    {
        MessageDelay = TimeSpan.FromMilliseconds(300),
        FallbackEscalationTime = TimeSpan.FromMinutes(3),
        FallbackSkillId = "99",
        GreetingMessage = "hi",
        StepupMessage = "_STEPUP_",
        MessageResendMaxRetries = 1,
        RetryMessageInterval = TimeSpan.FromSeconds(30),
        MaxEscalationRetries = 5,
        AcceptStatus = "READ",
        MaxConsumerMessageDelay = TimeSpan.FromMinutes(30),
        HistoryWindow = TimeSpan.FromMilliseconds(300),
    };

    public void Dispose() => _relay?.Dispose();

    private async Task<ConversationRelay> StartLiveAsync(RelayOptions? options = null)
    {
        _relay = new ConversationRelay("c1", "10", "u1", options ?? Options, _bot, _actions, _clock, NullLogger.Instance);
        _relay.Start(historyExpected: false);
        await SettleAsync();
        return _relay;
    }

    private async Task SettleAsync() => await Eventually.TrueAsync(() => _relay!.PendingWork == 0, "relay idle");

    private async Task AdvanceAsync(TimeSpan by)
    {
        _clock.Advance(by);
        await SettleAsync();
    }

    private static ConversationMessage Consumer(long sequence, string text) => new(sequence, text, FromConsumer: true);

    [Fact]
    public async Task New_conversation_starts_with_the_greeting_event()
    {
        await StartLiveAsync();

        var greeting = Assert.Single(_bot.Events);
        Assert.Equal(BotEventType.Greeting, greeting.Type);
        Assert.Equal("hi", greeting.Text);
        Assert.Equal(["echo hi"], _actions.Published);
    }

    [Fact]
    public async Task Messages_within_message_delay_are_joined_with_a_space()
    {
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "hi"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(100));
        relay.OnMessage(Consumer(2, "how are you"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(299));
        Assert.Empty(_bot.OfType(BotEventType.Message));

        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        var message = Assert.Single(_bot.OfType(BotEventType.Message));
        Assert.Equal("hi how are you", message.Text);
        var ack = Assert.Single(_actions.Acks);
        Assert.Equal("READ", ack.Status);
        Assert.Equal([1L, 2L], ack.Sequences);
    }

    [Fact]
    public async Task Messages_further_apart_than_message_delay_go_separately()
    {
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "first"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(400));
        relay.OnMessage(Consumer(2, "second"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(400));

        Assert.Equal(["first", "second"], _bot.OfType(BotEventType.Message).Select(e => e.Text));
    }

    [Fact]
    public async Task Replayed_sequence_is_relayed_once()
    {
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(5, "hello"));
        relay.OnMessage(Consumer(5, "hello"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("hello", Assert.Single(_bot.OfType(BotEventType.Message)).Text);
    }

    [Fact]
    public async Task Unanswered_message_is_resent_after_retry_interval_up_to_the_cap()
    {
        _bot.Answer = e => e.Type == BotEventType.Message ? BotAnswer.None : FakeBot.Reply("hello");
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "anyone there"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));
        Assert.Single(_bot.OfType(BotEventType.Message));

        await AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Single(_bot.OfType(BotEventType.Message));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _bot.OfType(BotEventType.Message).Count);

        await AdvanceAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, _bot.OfType(BotEventType.Message).Count);
    }

    [Fact]
    public async Task Seen_mark_stops_the_resend()
    {
        _bot.Answer = e => e.Type == BotEventType.Message ? new BotAnswer([], null, Seen: true) : FakeBot.Reply("hello");
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "thinking?"));
        await AdvanceAsync(TimeSpan.FromSeconds(60));

        Assert.Single(_bot.OfType(BotEventType.Message));
    }

    [Fact]
    public async Task No_reply_within_fallback_escalation_time_escalates_to_the_fallback_skill()
    {
        _bot.Answer = e => e.Type == BotEventType.Message ? new BotAnswer([], null, Seen: true) : FakeBot.Reply("hello");
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "help me"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));
        await AdvanceAsync(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_actions.TransferAttempts);

        await AdvanceAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["99"], _actions.TransferAttempts);
        Assert.True(relay.IsFinished);
    }

    [Fact]
    public async Task Further_consumer_messages_do_not_postpone_the_fallback_escalation()
    {
        _bot.Answer = e => e.Type == BotEventType.Message ? new BotAnswer([], null, Seen: true) : FakeBot.Reply("hello");
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "hello?"));
        await AdvanceAsync(TimeSpan.FromMinutes(2));
        relay.OnMessage(Consumer(2, "still there?"));
        await AdvanceAsync(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(300));

        Assert.Equal(["99"], _actions.TransferAttempts);
    }

    [Fact]
    public async Task A_reply_cancels_the_fallback_escalation()
    {
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "hello"));
        await AdvanceAsync(TimeSpan.FromMinutes(10));

        Assert.Empty(_actions.TransferAttempts);
        Assert.Contains("echo hello", _actions.Published);
    }

    [Fact]
    public async Task Bot_escalate_action_transfers_to_its_skill()
    {
        _bot.Answer = e => e.Type == BotEventType.Message
            ? new BotAnswer([new BotReply("one moment", null)], new BotAction(BotAction.Escalate, "20"), true)
            : FakeBot.Reply("hello");
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "agent please"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        Assert.Equal(["20"], _actions.TransferAttempts);
        Assert.Contains("one moment", _actions.Published);
    }

    [Fact]
    public async Task Failed_escalation_tells_the_bot_at_most_max_escalation_retries_times()
    {
        _actions.FailTransfers = true;
        _bot.Answer = e => e.Type is BotEventType.Message or BotEventType.EscalationFailed
            ? new BotAnswer([], new BotAction(BotAction.Escalate, "20"), true)
            : FakeBot.Reply("hello");
        var relay = await StartLiveAsync(Options with { MaxEscalationRetries = 3 });

        relay.OnMessage(Consumer(1, "agent"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        var failures = _bot.OfType(BotEventType.EscalationFailed);
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(BotEventType.EscalationFailedText, f.Text));
        Assert.Equal(4, _actions.TransferAttempts.Count);
        Assert.False(relay.IsFinished);
    }

    [Fact]
    public async Task Escalation_without_any_skill_counts_as_failed()
    {
        _bot.Answer = e => e.Type == BotEventType.Message
            ? new BotAnswer([], new BotAction(BotAction.Escalate, null), true)
            : FakeBot.Reply("hello");
        var relay = await StartLiveAsync(Options with { FallbackSkillId = null });

        relay.OnMessage(Consumer(1, "agent"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        Assert.Empty(_actions.TransferAttempts);
        Assert.Single(_bot.OfType(BotEventType.EscalationFailed));
    }

    [Fact]
    public async Task Message_later_than_max_consumer_message_delay_after_the_last_answered_one_is_ignored()
    {
        var relay = await StartLiveAsync(Options with { MaxConsumerMessageDelay = TimeSpan.FromMinutes(30) });

        relay.OnMessage(Consumer(1, "first"));
        await AdvanceAsync(TimeSpan.FromMinutes(31));
        relay.OnMessage(Consumer(2, "much later"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        // Still more than 30 minutes after "first", the last message the bot responded to.
        relay.OnMessage(Consumer(3, "again"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(["first"], _bot.OfType(BotEventType.Message).Select(e => e.Text));
    }

    [Fact]
    public async Task Max_consumer_message_delay_counts_from_the_last_message_the_bot_responded_to_not_the_previous_one()
    {
        // The bot responds to "first" at 1:00 and only marks "second" (1:20) seen: "third" (1:40) is 40 minutes after
        // the last message it responded to, though only 20 after the previous one.
        _bot.Answer = e => e.Text == "second" ? new BotAnswer([], null, true) : FakeBot.Reply("ok");
        var relay = await StartLiveAsync(Options with { MaxConsumerMessageDelay = TimeSpan.FromMinutes(30) });

        relay.OnMessage(Consumer(1, "first"));
        await AdvanceAsync(TimeSpan.FromMinutes(20));
        relay.OnMessage(Consumer(2, "second"));
        await AdvanceAsync(TimeSpan.FromMinutes(20));
        relay.OnMessage(Consumer(3, "third"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(["first", "second"], _bot.OfType(BotEventType.Message).Select(e => e.Text));
    }

    [Fact]
    public async Task A_consumer_message_within_max_consumer_message_delay_of_the_last_answered_one_is_relayed()
    {
        var relay = await StartLiveAsync(Options with { MaxConsumerMessageDelay = TimeSpan.FromMinutes(30) });

        relay.OnMessage(Consumer(1, "at one"));
        await AdvanceAsync(TimeSpan.FromMinutes(20));
        relay.OnMessage(Consumer(2, "at one twenty"));
        await AdvanceAsync(TimeSpan.FromMinutes(25));
        relay.OnMessage(Consumer(3, "at one forty-five"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(["at one", "at one twenty", "at one forty-five"], _bot.OfType(BotEventType.Message).Select(e => e.Text));
    }

    [Fact]
    public async Task Close_action_closes_the_conversation()
    {
        _bot.Answer = e => e.Type == BotEventType.Message
            ? new BotAnswer([new BotReply("bye", null)], new BotAction(BotAction.Close, null), true)
            : FakeBot.Reply("hello");
        var relay = await StartLiveAsync();

        relay.OnMessage(Consumer(1, "bye"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, _actions.Closes);
        Assert.True(relay.IsFinished);
    }

    [Fact]
    public async Task Consumer_change_sends_the_step_up_event()
    {
        var relay = await StartLiveAsync();

        relay.OnConsumerChanged("u1-authenticated");
        await SettleAsync();

        var stepUp = Assert.Single(_bot.OfType(BotEventType.StepUp));
        Assert.Equal("_STEPUP_", stepUp.Text);
        Assert.Equal("u1-authenticated", stepUp.ConsumerId);
    }

    [Fact]
    public async Task New_conversation_history_gets_greeting_then_the_consumer_messages_joined()
    {
        _relay = new ConversationRelay("c1", "10", "u1", Options, _bot, _actions, _clock, NullLogger.Instance);
        _relay.Start(historyExpected: true);
        _relay.OnMessage(Consumer(0, "hello"));
        _relay.OnMessage(Consumer(1, "i need a thing"));
        await SettleAsync();
        Assert.Empty(_bot.Events);

        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        Assert.Equal([(BotEventType.Greeting, "hi"), (BotEventType.Message, "hello i need a thing")], _bot.Events.Select(e => (e.Type, e.Text)));
    }

    [Fact]
    public async Task Transferred_in_conversation_ending_with_an_agent_line_shows_the_bot_that_line_when_skip_agent_message_is_false()
    {
        _relay = new ConversationRelay("c1", "10", "u1", Options with { SkipAgentMessage = false }, _bot, _actions, _clock, NullLogger.Instance);
        _relay.Start(historyExpected: true);
        _relay.OnMessage(Consumer(0, "question"));
        _relay.OnMessage(new ConversationMessage(1, "answer from another agent", FromConsumer: false));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        // The last utterance, whoever sent it; an agent's line is not acknowledged as a consumer's would be.
        var message = Assert.Single(_bot.Events);
        Assert.Equal((BotEventType.Message, "answer from another agent"), (message.Type, message.Text));
        Assert.DoesNotContain(_actions.Acks, a => a.Sequences.Contains(1L));
    }

    [Fact]
    public async Task Skip_agent_message_starts_a_transferred_conversation_from_the_last_consumer_message()
    {
        _relay = new ConversationRelay("c1", "10", "u1", Options with { SkipAgentMessage = true }, _bot, _actions, _clock, NullLogger.Instance);
        _relay.Start(historyExpected: true);
        _relay.OnMessage(Consumer(0, "old question"));
        _relay.OnMessage(Consumer(1, "latest question"));
        _relay.OnMessage(new ConversationMessage(2, "transferring you", FromConsumer: false));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        var message = Assert.Single(_bot.Events);
        Assert.Equal((BotEventType.Message, "latest question"), (message.Type, message.Text));
    }

    [Fact]
    public async Task Transferred_in_conversation_relays_what_the_consumer_wrote_after_the_last_agent_line()
    {
        _relay = new ConversationRelay("c1", "10", "u1", Options, _bot, _actions, _clock, NullLogger.Instance);
        _relay.Start(historyExpected: true);
        _relay.OnMessage(Consumer(0, "question"));
        _relay.OnMessage(new ConversationMessage(1, "agent line", FromConsumer: false));
        _relay.OnMessage(Consumer(2, "still there?"));
        await AdvanceAsync(TimeSpan.FromMilliseconds(300));

        var message = Assert.Single(_bot.Events);
        Assert.Equal((BotEventType.Message, "still there?"), (message.Type, message.Text));
    }

    [Fact]
    public async Task Hand_back_transfers_to_the_current_skill()
    {
        var relay = await StartLiveAsync();
        relay.OnSkillChanged("11");

        Assert.True(await relay.HandBackAsync(CancellationToken.None));

        Assert.Equal(["11"], _actions.TransferAttempts);
        Assert.True(relay.IsFinished);
    }

    [Fact]
    public async Task Horizontal_tiles_go_as_one_carousel_and_vertical_as_separate_cards()
    {
        var tiles = JsonNode.Parse("""[{"type":"vertical","elements":[{"type":"button","title":"Yes"}]},{"type":"vertical","elements":[]}]""");
        _bot.Answer = e => new BotAnswer([new BotReply(null, tiles)], null, true);

        await StartLiveAsync(Options with { TileDisplay = "horizontal", Accessibility = true });
        var carousel = Assert.Single(_actions.Structured);
        Assert.Equal("carousel", carousel["type"]!.GetValue<string>());
        Assert.Equal("Yes", carousel["elements"]![0]!["elements"]![0]!["tooltip"]!.GetValue<string>());

        _relay!.Dispose();
        _actions.Structured.Clear();
        await StartLiveAsync(Options with { TileDisplay = "vertical" });
        Assert.Equal(2, _actions.Structured.Count);
        Assert.Null(_actions.Structured.First()["elements"]![0]!["tooltip"]);
    }

    private static readonly JsonNode ButtonCard = JsonNode.Parse("""
        {"type":"vertical","elements":[
          {"type":"button","title":"Yes please","click":{"actions":[{"type":"publishText","text":"Yes please"},{"type":"postback","value":"ANSWER_YES"}]}},
          {"type":"button","title":"No","click":{"actions":[{"type":"publishText","text":"No"}],"metadata":[{"type":"ExternalId","id":"ANSWER_NO"}]}}]}
        """)!;

    private static List<string?> ChoiceTexts(JsonNode card) =>
        [.. card["elements"]!.AsArray().Select(b => b!["click"]!["actions"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "publishText")!["text"]!.GetValue<string>())];

    [Fact]
    public async Task By_default_a_button_shows_the_consumer_its_callback_value_and_sends_it_to_the_bot()
    {
        _bot.Answer = e => e.Type == BotEventType.Greeting ? new BotAnswer([new BotReply(null, ButtonCard)], null, true) : FakeBot.Reply("ok");
        var relay = await StartLiveAsync();
        Assert.Equal(["ANSWER_YES", "ANSWER_NO"], ChoiceTexts(Assert.Single(_actions.Structured)));

        // What a click publishes is the callback value; the metadata's value wins where the click carried one.
        relay.OnMessage(Consumer(1, "ANSWER_YES"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        relay.OnMessage(new ConversationMessage(2, "ANSWER_NO", true, Postback: "FROM_METADATA"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        relay.OnMessage(Consumer(3, "something else"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var messages = _bot.OfType(BotEventType.Message);
        Assert.Equal(["ANSWER_YES", "FROM_METADATA", "something else"], messages.Select(e => e.Text));
        Assert.Equal(["ANSWER_YES", "FROM_METADATA", null], messages.Select(e => e.ButtonPayload));
    }

    [Fact]
    public async Task Button_text_on_postback_shows_the_consumer_the_label_while_the_bot_still_gets_the_callback_value_as_button_payload()
    {
        _bot.Answer = e => e.Type == BotEventType.Greeting ? new BotAnswer([new BotReply(null, ButtonCard)], null, true) : FakeBot.Reply("ok");
        var relay = await StartLiveAsync(Options with { EnableButtonTextOnPostback = true });
        Assert.Equal(["Yes please", "No"], ChoiceTexts(Assert.Single(_actions.Structured)));

        relay.OnMessage(new ConversationMessage(1, "No", true, Postback: "ANSWER_NO"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        relay.OnMessage(Consumer(2, "Yes please"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var messages = _bot.OfType(BotEventType.Message);
        Assert.Equal(["No", "Yes please"], messages.Select(e => e.Text));
        Assert.Equal(["ANSWER_NO", "ANSWER_YES"], messages.Select(e => e.ButtonPayload));
    }
}
