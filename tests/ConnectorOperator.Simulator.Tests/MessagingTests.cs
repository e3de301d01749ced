using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Simulator.Tests;

public sealed class MessagingTests
{
    private static bool IsUpsertFor(JsonObject body, string conversationId) =>
        body["changes"]![0]!["type"]!.GetValue<string>() == "UPSERT"
        && body["changes"]![0]!["result"]!["convId"]!.GetValue<string>() == conversationId;

    [Fact]
    public async Task GetClock_answers_the_current_time()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();

        var (code, body) = await agent.RequestAsync(".GetClock", []);

        Assert.Equal(200, code);
        Assert.InRange(body["currentTime"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Unknown_request_type_is_an_error_response()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();

        var (code, body) = await agent.RequestAsync(".ams.nothing.Here", []);

        Assert.Equal(400, code);
        Assert.Contains("unknown", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ring_accept_messages_publish_and_receipts_flow_end_to_end()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();

        var conversationId = sim.OpenConversation("123", "10", "hello bot", "consumer-1");
        var (ringId, rungConversation) = await agent.WaitForRingAsync();
        Assert.Equal(conversationId, rungConversation);
        Assert.Equal(ConversationState.Ringing, sim.GetState().Conversation(conversationId).State);

        Assert.Equal(200, (await agent.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "ACCEPTED" })).Code);
        var upsert = await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification", b => IsUpsertFor(b, conversationId));
        var participants = upsert["changes"]![0]!["result"]!["conversationDetails"]!["participants"]!.AsArray();
        Assert.Contains(participants, p => p!["role"]!.GetValue<string>() == "ASSIGNED_AGENT" && p["id"]!.GetValue<string>() == agent.UserId);
        Assert.Contains(participants, p => p!["role"]!.GetValue<string>() == "CONSUMER" && p["id"]!.GetValue<string>() == "consumer-1");

        Assert.Equal(200, (await agent.SubscribeMessagesAsync(conversationId)).Code);
        var first = await agent.WaitForNotificationAsync("ms.MessagingEventNotification");
        Assert.Equal(0, first["changes"]![0]!["sequence"]!.GetValue<long>());
        Assert.Equal("hello bot", first["changes"]![0]!["event"]!["message"]!.GetValue<string>());
        Assert.Equal("CONSUMER", first["changes"]![0]!["originatorMetadata"]!["role"]!.GetValue<string>());

        var receipt = await agent.RequestAsync(".ams.ms.PublishEvent", new JsonObject
        {
            ["dialogId"] = conversationId,
            ["event"] = new JsonObject { ["type"] = "AcceptStatusEvent", ["status"] = "READ", ["sequenceList"] = new JsonArray(0) },
        });
        Assert.Equal(200, receipt.Code);
        var reply = await agent.PublishTextAsync(conversationId, "hi consumer");
        Assert.Equal(200, reply.Code);
        Assert.Equal(2, reply.Body["sequence"]!.GetValue<long>());

        var next = sim.SendConsumerMessage(conversationId, "second");
        Assert.Equal(3, next);
        var live = await agent.WaitForNotificationAsync("ms.MessagingEventNotification", b => b["changes"]![0]!["sequence"]!.GetValue<long>() == 3);
        Assert.Equal("second", live["changes"]![0]!["event"]!["message"]!.GetValue<string>());

        var conversation = sim.GetState().Conversation(conversationId);
        Assert.Equal(ConversationState.Assigned, conversation.State);
        Assert.Equal("bot1", conversation.AssignedAgent);
        Assert.Equal(["hello bot", "hi consumer", "second"], conversation.Messages.Select(m => m.Text));
        Assert.Equal(["CONSUMER", "ASSIGNED_AGENT", "CONSUMER"], conversation.Messages.Select(m => m.Role));
        var accept = Assert.Single(conversation.OtherEvents);
        Assert.Equal("AcceptStatusEvent", accept.Type);
        Assert.Contains("READ", accept.Json, StringComparison.Ordinal);
        Assert.Equal(1, sim.GetState().Counters.AcceptStatusEvents);
    }

    [Fact]
    public async Task Rich_content_and_chat_state_events_are_recorded_and_unknown_events_refused()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "menu");
        await agent.AcceptNextRingAsync();

        var typing = await agent.RequestAsync(".ams.ms.PublishEvent", new JsonObject
        {
            ["dialogId"] = conversationId,
            ["event"] = new JsonObject { ["type"] = "ChatStateEvent", ["chatState"] = "COMPOSING" },
        });
        var rich = await agent.RequestAsync(".ams.ms.PublishEvent", new JsonObject
        {
            ["dialogId"] = conversationId,
            ["event"] = new JsonObject { ["type"] = "RichContentEvent", ["content"] = new JsonObject { ["type"] = "vertical", ["elements"] = new JsonArray() } },
        });
        var unknown = await agent.RequestAsync(".ams.ms.PublishEvent", new JsonObject
        {
            ["dialogId"] = conversationId,
            ["event"] = new JsonObject { ["type"] = "Telepathy" },
        });

        Assert.Equal((200, 200, 400), (typing.Code, rich.Code, unknown.Code));
        var conversation = sim.GetState().Conversation(conversationId);
        var richMessage = conversation.Messages[^1];
        Assert.Equal(("RichContentEvent", "ASSIGNED_AGENT"), (richMessage.Type, richMessage.Role));
        Assert.Contains("vertical", richMessage.Text, StringComparison.Ordinal);
        Assert.Equal("ChatStateEvent", Assert.Single(conversation.OtherEvents).Type);
        Assert.Equal(1, sim.GetState().Counters.ChatStateEvents);
    }

    [Fact]
    public async Task Resubscribing_messaging_events_replays_from_the_given_sequence()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "one");
        await agent.AcceptNextRingAsync();
        sim.SendConsumerMessage(conversationId, "two");
        sim.SendConsumerMessage(conversationId, "three");

        await agent.SubscribeMessagesAsync(conversationId, fromSeq: 1);

        var replay = await agent.WaitForNotificationAsync("ms.MessagingEventNotification");
        Assert.Equal([1L, 2L], replay["changes"]!.AsArray().Select(c => c!["sequence"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Publishing_into_a_conversation_held_by_someone_else_is_refused()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var holder = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var other = await TestAgent.LoginAsync(sim, "123", "bot2");
        await holder.ConnectAsync();
        await holder.GoOnlineAsync();
        await other.ConnectAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await holder.AcceptNextRingAsync();

        Assert.Equal(403, (await other.PublishTextAsync(conversationId, "not mine")).Code);
    }

    [Fact]
    public async Task Only_online_agents_with_the_skill_and_a_routing_subscription_are_rung()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        Assert.Equal(200, (await agent.RequestAsync(".ams.routing.SubscribeRoutingTasks", [])).Code);
        var conversationId = sim.OpenConversation("123", "10", "anyone?");
        var human = sim.OpenConversation("123", "20", "human skill");

        await Task.Delay(100);
        Assert.Equal(ConversationState.Queued, sim.GetState().Conversation(conversationId).State);

        await agent.RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = agent.UserId, ["availability"] = "ONLINE" });
        var (_, rung) = await agent.WaitForRingAsync();
        Assert.Equal(conversationId, rung);
        Assert.Equal(ConversationState.Queued, sim.GetState().Conversation(human).State);
    }

    [Fact]
    public async Task Agent_capacity_caps_rings_and_assignments()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.Accounts[0].Users[0].MaxConversations = 2);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();

        var ids = Enumerable.Range(0, 3).Select(i => sim.OpenConversation("123", "10", $"m{i}")).ToList();
        await agent.AcceptNextRingAsync();
        await agent.AcceptNextRingAsync();
        await Task.Delay(100);

        var state = sim.GetState();
        Assert.Equal(2, state.Agent("123", "bot1").OpenConversations.Count);
        Assert.Equal(ConversationState.Queued, state.Conversation(ids[2]).State);

        Assert.Equal(200, (await agent.CloseConversationAsync(ids[0])).Code);
        Assert.Equal(ids[2], await agent.AcceptNextRingAsync());
    }

    [Fact]
    public async Task Away_stops_new_rings_but_keeps_assigned_conversations()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var held = sim.OpenConversation("123", "10", "first");
        await agent.AcceptNextRingAsync();

        await agent.RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = agent.UserId, ["availability"] = "AWAY" });
        var waiting = sim.OpenConversation("123", "10", "second");
        await Task.Delay(100);

        var state = sim.GetState();
        Assert.Equal("bot1", state.Conversation(held).AssignedAgent);
        Assert.Equal(ConversationState.Queued, state.Conversation(waiting).State);
        Assert.Equal("AWAY", state.Agent("123", "bot1").Availability);
    }

    [Fact]
    public async Task Transfer_to_a_human_skill_requeues_there_and_counts_an_escalation()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "I want a human");
        await agent.AcceptNextRingAsync();

        Assert.Equal(200, (await agent.TransferAsync(conversationId, "20")).Code);

        var delete = await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification", b => b["changes"]![0]!["type"]!.GetValue<string>() == "DELETE");
        Assert.Equal(conversationId, delete["changes"]![0]!["result"]!["convId"]!.GetValue<string>());
        var conversation = sim.GetState().Conversation(conversationId);
        Assert.Equal(ConversationState.Queued, conversation.State);
        Assert.Equal("20", conversation.SkillId);
        Assert.Null(conversation.AssignedAgent);
        var escalation = Assert.Single(conversation.Escalations);
        Assert.Equal(("10", "20", "bot1"), (escalation.FromSkillId, escalation.ToSkillId, escalation.FromAgent));
        Assert.Equal(1, sim.GetState().Counters.Escalations);
        var human = sim.GetState().Skills.Single(k => k.AccountId == "123" && k.SkillId == "20");
        Assert.True(human.IsHuman);
        Assert.Equal(1, human.Queued);
        Assert.False(sim.GetState().Skills.Single(k => k.AccountId == "123" && k.SkillId == "10").IsHuman);
        Assert.Equal(403, (await agent.PublishTextAsync(conversationId, "too late")).Code);
    }

    [Fact]
    public async Task Transfer_back_to_the_bot_skill_is_not_an_escalation_and_another_bot_takes_it()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var first = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var second = await TestAgent.LoginAsync(sim, "123", "bot2");
        await first.ConnectAsync();
        await first.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await first.AcceptNextRingAsync();
        await second.ConnectAsync();
        await second.GoOnlineAsync();

        // A draining connector goes AWAY first, then hands its conversations back to its own skill.
        await first.RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = first.UserId, ["availability"] = "AWAY" });
        Assert.Equal(200, (await first.TransferAsync(conversationId, "10")).Code);

        Assert.Equal(conversationId, await second.AcceptNextRingAsync());
        var conversation = sim.GetState().Conversation(conversationId);
        Assert.Equal("bot2", conversation.AssignedAgent);
        Assert.Empty(conversation.Escalations);
        Assert.Single(conversation.Transfers);
    }

    [Fact]
    public async Task Transfer_to_an_unknown_skill_is_refused()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await agent.AcceptNextRingAsync();

        Assert.Equal(400, (await agent.TransferAsync(conversationId, "999")).Code);
        Assert.Equal("bot1", sim.GetState().Conversation(conversationId).AssignedAgent);
    }

    [Fact]
    public async Task Close_ends_the_conversation_with_an_upsert_in_state_close()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "bye");
        await agent.AcceptNextRingAsync();
        await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification", b => IsUpsertFor(b, conversationId));

        Assert.Equal(200, (await agent.CloseConversationAsync(conversationId)).Code);

        var closed = await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification");
        Assert.Equal("CLOSE", closed["changes"]![0]!["result"]!["conversationDetails"]!["state"]!.GetValue<string>());
        var conversation = sim.GetState().Conversation(conversationId);
        Assert.Equal(ConversationState.Closed, conversation.State);
        Assert.Equal("bot1", conversation.ClosedBy);
    }

    [Fact]
    public async Task An_expired_ring_goes_to_another_agent()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.RingExpiry = TimeSpan.FromSeconds(1));
        await using var slow = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var quick = await TestAgent.LoginAsync(sim, "123", "bot2");
        await slow.ConnectAsync();
        await slow.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "anyone?");
        var (ringId, _) = await slow.WaitForRingAsync();
        await quick.ConnectAsync();
        await quick.GoOnlineAsync();

        Assert.Equal(conversationId, await quick.AcceptNextRingAsync(TimeSpan.FromSeconds(10)));
        await slow.WaitForNotificationAsync("routing.RoutingTaskNotification", b => TestAgent.RingState(b) == "EXPIRED");
        Assert.Equal(404, (await slow.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "ACCEPTED" })).Code);
        Assert.Equal("bot2", sim.GetState().Conversation(conversationId).AssignedAgent);
        Assert.Equal(1, sim.GetState().Counters.RingsExpired);
    }

    [Fact]
    public async Task A_rejected_ring_goes_to_another_agent()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var a = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var b = await TestAgent.LoginAsync(sim, "123", "bot2");
        await a.ConnectAsync();
        await a.GoOnlineAsync();
        await b.ConnectAsync();
        await b.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");

        var rung = sim.GetState().Conversation(conversationId).RingingAgent;
        var (first, second) = rung == "bot1" ? (a, b) : (b, a);
        var (ringId, _) = await first.WaitForRingAsync();
        await first.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "REJECTED" });

        Assert.Equal(conversationId, await second.AcceptNextRingAsync());
    }

    [Fact]
    public async Task Logout_returns_open_conversations_to_the_queue_for_another_agent()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var leaving = await TestAgent.LoginAsync(sim, "123", "bot1");
        await leaving.ConnectAsync();
        await leaving.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await leaving.AcceptNextRingAsync();
        await using var staying = await TestAgent.LoginAsync(sim, "123", "bot2");
        await staying.ConnectAsync();
        await staying.GoOnlineAsync();

        await leaving.LogoutAsync();

        Assert.Equal(conversationId, await staying.AcceptNextRingAsync());
        Assert.Equal("bot2", sim.GetState().Conversation(conversationId).AssignedAgent);
        Assert.Equal(1, sim.GetState().Counters.Requeued);
    }

    [Fact]
    public async Task Reconnecting_socket_of_a_live_session_gets_its_conversations_in_the_subscription()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await agent.AcceptNextRingAsync();

        sim.DropSockets("123", "bot1");
        Assert.Null(await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        await using var again = agent.SameSessionNewSocket();
        await again.ConnectAsync();
        await again.GoOnlineAsync();

        await again.WaitForNotificationAsync("cqm.ExConversationChangeNotification", b => IsUpsertFor(b, conversationId));
        Assert.Equal("bot1", sim.GetState().Conversation(conversationId).AssignedAgent);
        Assert.Empty(sim.GetState().SessionConflicts);
    }

    [Fact]
    public async Task Step_up_changes_the_consumer_participant()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi", "anonymous");
        await agent.AcceptNextRingAsync();
        await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification", b => IsUpsertFor(b, conversationId));

        sim.StepUpConsumer(conversationId, "authenticated");

        var upsert = await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification", b => IsUpsertFor(b, conversationId));
        var participants = upsert["changes"]![0]!["result"]!["conversationDetails"]!["participants"]!.AsArray();
        Assert.Contains(participants, p => p!["role"]!.GetValue<string>() == "CONSUMER" && p["id"]!.GetValue<string>() == "authenticated");
    }
}
