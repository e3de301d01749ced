using ConnectorOperator.Connector.Chat;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class RingingDemandTests
{
    [Fact]
    public void Chats_left_ringing_at_capacity_are_waiting_and_offered()
    {
        var demand = new RingingDemand();

        var offered = demand.RecordPoll(ringing: 3, accepted: 1, stoppedAtCapacity: true);

        Assert.Equal(2, offered);
        Assert.Equal(2, demand.Waiting);
        Assert.Equal(2, demand.OfferedAtCapacity);
    }

    [Fact]
    public void The_same_ringing_chats_are_not_recounted_on_every_poll()
    {
        var demand = new RingingDemand();
        demand.RecordPoll(3, 0, stoppedAtCapacity: true);

        Assert.Equal(0, demand.RecordPoll(3, 0, stoppedAtCapacity: true));
        Assert.Equal(0, demand.RecordPoll(2, 0, stoppedAtCapacity: true));
        Assert.Equal(2, demand.RecordPoll(4, 0, stoppedAtCapacity: true));

        Assert.Equal(4, demand.Waiting);
        Assert.Equal(5, demand.OfferedAtCapacity);
    }

    [Fact]
    public void Nothing_waits_when_the_poll_did_not_stop_for_capacity()
    {
        var demand = new RingingDemand();
        demand.RecordPoll(2, 0, stoppedAtCapacity: true);

        Assert.Equal(0, demand.RecordPoll(2, 2, stoppedAtCapacity: false));

        Assert.Equal(0, demand.Waiting);
        Assert.Equal(2, demand.OfferedAtCapacity);
    }

    [Fact]
    public void A_reset_clears_the_waiting_number_and_keeps_the_count()
    {
        var demand = new RingingDemand();
        demand.RecordPoll(2, 0, stoppedAtCapacity: true);

        demand.Reset();

        Assert.Equal(0, demand.Waiting);
        Assert.Equal(2, demand.OfferedAtCapacity);
        Assert.Equal(2, demand.RecordPoll(2, 0, stoppedAtCapacity: true));
    }
}
