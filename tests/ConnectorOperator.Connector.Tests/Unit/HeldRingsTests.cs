using ConnectorOperator.Connector.Messaging;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class HeldRingsTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    private HeldRings NewRings() => new(_clock, Hold, Margin);

    private DateTimeOffset In(double seconds) => _clock.GetUtcNow() + TimeSpan.FromSeconds(seconds);

    [Fact]
    public void A_held_ring_counts_as_waiting_and_as_offered_at_capacity()
    {
        var rings = NewRings();

        rings.Hold("r1", "c1", In(72));

        Assert.Equal(1, rings.Count);
        Assert.Equal(1, rings.OfferedAtCapacity);
    }

    [Fact]
    public void Reject_time_is_the_hold_time_when_the_ring_lives_long_enough()
    {
        var held = NewRings().Hold("r1", "c1", In(72));

        Assert.Equal(In(10), held.RejectAt);
    }

    [Fact]
    public void Reject_time_is_two_seconds_before_an_earlier_expiry()
    {
        var held = NewRings().Hold("r1", "c1", In(5));

        Assert.Equal(In(3), held.RejectAt);
    }

    [Fact]
    public void A_ring_about_to_expire_is_due_for_reject_at_once()
    {
        var held = NewRings().Hold("r1", "c1", In(1));

        Assert.Equal(_clock.GetUtcNow(), held.RejectAt);
    }

    [Fact]
    public void A_ring_without_expiry_lives_the_default_ring_time()
    {
        var held = NewRings().Hold("r1", "c1", expiresAt: null);

        Assert.Equal(_clock.GetUtcNow() + HeldRings.DefaultRingLifetime, held.ExpiresAt);
        Assert.Equal(In(10), held.RejectAt);
    }

    [Fact]
    public void A_freed_slot_takes_the_oldest_ring_still_alive()
    {
        var rings = NewRings();
        rings.Hold("short", "c1", In(3));
        _clock.Advance(TimeSpan.FromSeconds(1));
        rings.Hold("second", "c2", In(72));
        rings.Hold("third", "c3", In(72));

        _clock.Advance(TimeSpan.FromSeconds(3));
        var taken = rings.TakeOldestAlive();

        Assert.Equal("second", taken?.RingId);
        Assert.Equal(1, rings.Count);
        Assert.Equal(3, rings.OfferedAtCapacity);
    }

    [Fact]
    public void Nothing_to_take_when_no_ring_is_held()
    {
        Assert.Null(NewRings().TakeOldestAlive());
    }

    [Fact]
    public void Release_removes_only_the_very_entry_it_was_given()
    {
        var rings = NewRings();
        var first = rings.Hold("r1", "c1", In(72));
        var reoffer = rings.Hold("r1", "c1", In(72));

        Assert.False(rings.Release(first));
        Assert.Equal(1, rings.Count);
        Assert.True(rings.Release(reoffer));
        Assert.Equal(0, rings.Count);
        Assert.False(rings.Release(reoffer));
    }

    [Fact]
    public void A_ring_ended_at_the_service_or_a_closed_conversation_is_forgotten()
    {
        var rings = NewRings();
        rings.Hold("r1", "c1", In(72));
        rings.Hold("r2", "c2", In(72));

        Assert.Equal("c1", rings.Forget("r1")?.ConversationId);
        Assert.Null(rings.Forget("r1"));
        Assert.Equal(1, rings.ForgetConversation("c2"));
        Assert.Equal(0, rings.Count);
        Assert.Equal(2, rings.OfferedAtCapacity);
    }

    [Fact]
    public void Take_all_empties_the_hold_oldest_first()
    {
        var rings = NewRings();
        rings.Hold("r1", "c1", In(72));
        rings.Hold("r2", "c2", In(72));

        var all = rings.TakeAll();

        Assert.Equal(["r1", "r2"], all.Select(r => r.RingId));
        Assert.Equal(0, rings.Count);
    }
}
