using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Contracts;
using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Cloud;
using ConnectorOperator.Simulator.Inspection;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>
/// The service routes more to an agent user than its connector can hold (the user's max concurrent
/// conversations is above the connector's capacity): the connector shows that demand and gives it back.
/// </summary>
public sealed class DemandBeyondCapacityTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync()
    {
        var options = ConnectorHarness.FastSimulatorOptions();
        // "Unlimited" at the service, well above the connectors' own capacity.
        foreach (var user in options.Accounts.SelectMany(a => a.Users))
        {
            user.MaxConversations = 1000;
        }

        _sim = await ConversationalCloudSimulator.StartAsync(options);
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private ConversationSnapshot Conversation(string id) => _sim.GetState().Conversation(id);

    private Dictionary<string, string> Environment(string user, int capacity, TimeSpan hold, string? custom = null)
    {
        var env = ConnectorHarness.Environment(_sim, user);
        env["CONNECTOR_CAPACITY"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env[ConnectorEnvironment.TimingRingHoldMs] = ((int)hold.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (custom is not null)
        {
            env["CONNECTOR_CUSTOM_CONFIGURATION"] = custom;
        }

        return env;
    }

    /// <summary>bot1 with room for one conversation, holding it; a second conversation then rings bot1.</summary>
    private async Task<(ConnectorHost Connector, string Held, string Taken)> StartFullWithHeldRingAsync(TimeSpan hold, TimeProvider? time = null, string? custom = null)
    {
        var connector = await ConnectorHarness.StartAsync(Environment("bot1", 1, hold, custom), _logs, time);
        await connector.WaitOnlineAsync();
        var taken = _sim.OpenConversation("123", "10", "first");
        await Eventually.TrueAsync(() => Conversation(taken).AssignedAgent == "bot1", "first conversation with bot1", TimeSpan.FromSeconds(15));
        var held = _sim.OpenConversation("123", "10", "second");
        await Eventually.TrueAsync(async () => await WaitingAsync(connector) == 1, "the second ring held", TimeSpan.FromSeconds(15));
        return (connector, held, taken);
    }

    private static async Task<int> WaitingAsync(ConnectorHost connector) =>
        (await connector.StatusAsync())["waitingConversations"]!.GetValue<int>();

    private static async Task<long> OfferedAsync(ConnectorHost connector) =>
        (await connector.StatusAsync())["offeredAtCapacity"]!.GetValue<long>();

    [Fact]
    public async Task A_full_connector_holds_the_ring_and_reports_it_waiting()
    {
        var (connector, held, _) = await StartFullWithHeldRingAsync(TimeSpan.FromSeconds(30));
        await using var _ = connector;

        var status = await connector.StatusAsync();
        Assert.Equal(1, status["activeConversations"]!.GetValue<int>());
        Assert.Equal(1, status["waitingConversations"]!.GetValue<int>());
        Assert.Equal(1, status["offeredAtCapacity"]!.GetValue<long>());
        var snapshot = Conversation(held);
        Assert.Equal(ConversationState.Ringing, snapshot.State);
        Assert.Equal("bot1", snapshot.RingingAgent);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(connector.HealthAddress, "metrics"));
        Assert.Contains("connector_waiting_conversations 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("connector_offers_at_capacity_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Single(_logs.Lines, l => l.Contains("holding ring", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_freed_slot_accepts_the_held_ring_at_once()
    {
        // A long ring wait proves the held ring does not wait a second time.
        var (connector, held, taken) = await StartFullWithHeldRingAsync(TimeSpan.FromSeconds(30), custom: """{"ringAcceptWait":"3000"}""");
        await using var _ = connector;

        var freedAt = DateTime.UtcNow;
        _sim.CloseConversationByConsumer(taken);

        await Eventually.TrueAsync(() => Conversation(held).AssignedAgent == "bot1", "held conversation accepted by bot1");
        Assert.InRange(DateTime.UtcNow - freedAt, TimeSpan.Zero, TimeSpan.FromSeconds(2.5));
        Assert.Contains(_logs.Lines, l => l.Contains("Accepted held ring", StringComparison.Ordinal));
        Assert.Equal(0, await WaitingAsync(connector));
        Assert.Equal(1, await OfferedAsync(connector));
        Assert.Equal(0, _sim.GetState().Counters.RingsRejected);
    }

    [Fact]
    public async Task A_held_ring_is_rejected_after_the_hold_time_and_a_connector_with_room_takes_it()
    {
        var (first, held, taken) = await StartFullWithHeldRingAsync(TimeSpan.FromMilliseconds(300));
        await using var _ = first;
        await Eventually.TrueAsync(() => _sim.GetState().Counters.RingsRejected >= 1, "the held ring rejected");

        // The operator starts another connector; the service offers the rejected conversation to it.
        await using var second = await ConnectorHarness.StartAsync(Environment("bot2", 10, TimeSpan.FromSeconds(10)), new CapturedLogs());
        await second.WaitOnlineAsync();

        await Eventually.TrueAsync(() => Conversation(held).AssignedAgent == "bot2", "held conversation with bot2");
        await Eventually.TrueAsync(async () => await WaitingAsync(first) == 0, "nothing waiting on bot1");
        Assert.Equal("bot1", Conversation(taken).AssignedAgent);
        Assert.All(_sim.GetState().Conversations, c => Assert.Equal(ConversationState.Assigned, c.State));
        Assert.True(await OfferedAsync(first) >= 1);
        Assert.Contains(_logs.Lines, l => l.Contains("Rejecting held ring", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoked_and_expired_held_rings_are_forgotten()
    {
        _sim.Options.RingExpiry = TimeSpan.FromSeconds(5);

        // A clock that never moves: the hold never runs out, so only the service's ring states can end it.
        var frozen = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var (connector, expiring, _) = await StartFullWithHeldRingAsync(TimeSpan.FromSeconds(30), frozen, """{"ringAcceptWait":"0"}""");
        await using var _ = connector;
        var revoked = _sim.OpenConversation("123", "10", "third");
        await Eventually.TrueAsync(async () => await WaitingAsync(connector) == 2, "both rings held");

        _sim.CloseConversationByConsumer(revoked);
        await Eventually.TrueAsync(async () => await WaitingAsync(connector) == 1, "the revoked ring forgotten");
        Assert.Contains(_logs.Lines, l => l.Contains("ended at the service as REVOKED", StringComparison.Ordinal));

        // The simulator's ring expiry (5 s) passes; it rings bot1 again at once with a new ring, which is
        // held afresh: one waiting, not two, and three offers in all.
        await Eventually.TrueAsync(() => _logs.Lines.Any(l => l.Contains("ended at the service as EXPIRED", StringComparison.Ordinal)), "the expired ring forgotten", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => await OfferedAsync(connector) == 3, "the re-offer held");
        Assert.Equal(1, await WaitingAsync(connector));
        Assert.Equal("bot1", Conversation(expiring).RingingAgent);
        Assert.Equal(0, _sim.GetState().Counters.RingsRejected);
    }

    [Fact]
    public async Task Drain_rejects_held_rings_at_once_and_another_connector_takes_them()
    {
        var (first, held, taken) = await StartFullWithHeldRingAsync(TimeSpan.FromSeconds(30));
        await using var _ = first;
        await using var second = await ConnectorHarness.StartAsync(Environment("bot2", 10, TimeSpan.FromSeconds(10)), new CapturedLogs());
        await second.WaitOnlineAsync();

        using var http = new HttpClient();
        var drainedAt = DateTime.UtcNow;
        await http.PostAsync(new Uri(first.HealthAddress, "drain"), null);

        Assert.Equal(0, await first.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        await Eventually.TrueAsync(() => Conversation(held).AssignedAgent == "bot2" && Conversation(taken).AssignedAgent == "bot2", "both conversations with bot2");
        Assert.InRange(DateTime.UtcNow - drainedAt, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(1, _sim.GetState().Counters.RingsRejected);
        Assert.Contains(_logs.Lines, l => l.Contains("Rejecting held ring", StringComparison.Ordinal) && l.Contains("draining", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_reports_ringing_chats_left_at_capacity_without_recounting_them()
    {
        var env = ConnectorHarness.Environment(_sim, "chatbot1", accountId: "456");
        env["CONNECTOR_CAPACITY"] = "1";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var chats = Enumerable.Range(0, 3).Select(i => _sim.OpenConversation("456", "30", $"hello {i}")).ToList();
        await Eventually.TrueAsync(async () => await WaitingAsync(connector) == 2, "two chats left ringing");
        Assert.Single(chats, c => Conversation(c).AssignedAgent == "chatbot1");

        // Several more polls (100 ms apart) see the same two ringing chats: still two offers.
        var polledUntil = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
        await Eventually.TrueAsync(() => DateTime.UtcNow > polledUntil, "a few more polls");
        Assert.Equal(2, await OfferedAsync(connector));
        Assert.Equal(2, await WaitingAsync(connector));

        _sim.OpenConversation("456", "30", "one more");
        await Eventually.TrueAsync(async () => await WaitingAsync(connector) == 3, "three chats left ringing");
        Assert.Equal(3, await OfferedAsync(connector));
    }
}
