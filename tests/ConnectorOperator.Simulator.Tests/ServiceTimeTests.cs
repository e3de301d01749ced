using System.Net;

namespace ConnectorOperator.Simulator.Tests;

/// <summary>The service's clocks run on the configured TimeProvider: the default 72 s and 20 min, without waiting.</summary>
public sealed class ServiceTimeTests
{
    [Fact]
    public async Task A_ring_expires_after_the_default_72_seconds_of_service_time()
    {
        var time = new ManualTime();
        await using var sim = await ConversationalCloudSimulator.StartAsync(TestSimulators.FastOptions(o => o.TimeProvider = time));
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        var (firstRing, _) = await agent.WaitForRingAsync();

        time.Advance(TimeSpan.FromSeconds(71));
        sim.SweepNow();
        Assert.Equal(0, sim.GetState().Counters.RingsExpired);

        time.Advance(TimeSpan.FromSeconds(2));
        sim.SweepNow();

        Assert.Equal(1, sim.GetState().Counters.RingsExpired);
        var (secondRing, rung) = await agent.WaitForRingAsync();
        Assert.Equal(conversationId, rung);
        Assert.NotEqual(firstRing, secondRing);
    }

    [Fact]
    public async Task A_session_lives_twenty_minutes_from_its_last_refresh()
    {
        var time = new ManualTime();
        await using var sim = await ConversationalCloudSimulator.StartAsync(TestSimulators.FastOptions(o => o.TimeProvider = time));
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");

        time.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(HttpStatusCode.OK, await agent.RefreshAsync());
        time.Advance(TimeSpan.FromMinutes(19));
        sim.SweepNow();
        Assert.Null(sim.GetState().Sessions.Single().EndedAt);

        time.Advance(TimeSpan.FromMinutes(2));
        sim.SweepNow();

        Assert.Equal("Expired", sim.GetState().Sessions.Single().EndReason);
        Assert.Equal(HttpStatusCode.Unauthorized, await agent.RefreshAsync());
    }
}
