namespace ConnectorOperator.Connector.Messaging;

/// <summary>A ring that found the connector full, kept in case a slot frees before it must be given back.</summary>
public sealed record HeldRing(string RingId, string? ConversationId, DateTimeOffset HeldAt, DateTimeOffset ExpiresAt, DateTimeOffset RejectAt);

/// <summary>
/// Rings offered while the connector is full. Their number is the demand waiting beyond this connector's
/// capacity; the oldest one still alive takes the next freed slot, and each is given back (rejected) at
/// its reject time so the service can offer it to an agent with room. Thread-safe.
/// </summary>
public sealed class HeldRings
{
    /// <summary>How long a ring lives when its notification carries no expiry (the real service's ring time).</summary>
    public static readonly TimeSpan DefaultRingLifetime = TimeSpan.FromSeconds(72);

    private readonly object _gate = new();
    private readonly List<HeldRing> _rings = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _holdTime;
    private readonly TimeSpan _expiryMargin;
    private long _offeredAtCapacity;

    public HeldRings(TimeProvider time, TimeSpan holdTime, TimeSpan expiryMargin)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _holdTime = holdTime;
        _expiryMargin = expiryMargin;
    }

    /// <summary>Rings held right now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rings.Count;
            }
        }
    }

    /// <summary>Rings that arrived while the connector was full, since it started (each counted once).</summary>
    public long OfferedAtCapacity => Interlocked.Read(ref _offeredAtCapacity);

    /// <summary>
    /// Holds a ring until the hold time passes, but no later than the expiry margin before it expires.
    /// A ring already held under the same id is replaced (a re-offer after a reconnect).
    /// </summary>
    public HeldRing Hold(string ringId, string? conversationId, DateTimeOffset? expiresAt)
    {
        ArgumentNullException.ThrowIfNull(ringId);
        var now = _time.GetUtcNow();
        var expiry = expiresAt ?? now + DefaultRingLifetime;
        var rejectAt = Min(now + _holdTime, expiry - _expiryMargin);
        var ring = new HeldRing(ringId, conversationId, now, expiry, rejectAt < now ? now : rejectAt);
        lock (_gate)
        {
            _rings.RemoveAll(r => r.RingId == ringId);
            _rings.Add(ring);
        }

        Interlocked.Increment(ref _offeredAtCapacity);
        return ring;
    }

    /// <summary>Removes this very entry; false when it was already taken, forgotten or replaced.</summary>
    public bool Release(HeldRing ring)
    {
        lock (_gate)
        {
            // By reference: a re-offer of the same ring is an equal record but a new hold.
            var index = _rings.FindIndex(r => ReferenceEquals(r, ring));
            if (index < 0)
            {
                return false;
            }

            _rings.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Removes and returns the oldest ring that has not expired yet; expired ones are dropped on the way.</summary>
    public HeldRing? TakeOldestAlive()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _rings.RemoveAll(r => r.ExpiresAt <= now);
            if (_rings.Count == 0)
            {
                return null;
            }

            var oldest = _rings[0];
            _rings.RemoveAt(0);
            return oldest;
        }
    }

    /// <summary>Forgets the ring with this id (its state changed at the service); null when it was not held.</summary>
    public HeldRing? Forget(string ringId)
    {
        lock (_gate)
        {
            var index = _rings.FindIndex(r => r.RingId == ringId);
            if (index < 0)
            {
                return null;
            }

            var ring = _rings[index];
            _rings.RemoveAt(index);
            return ring;
        }
    }

    /// <summary>Forgets every ring for this conversation (it closed); returns how many there were.</summary>
    public int ForgetConversation(string conversationId)
    {
        lock (_gate)
        {
            return _rings.RemoveAll(r => r.ConversationId == conversationId);
        }
    }

    /// <summary>Removes and returns every held ring, oldest first.</summary>
    public IReadOnlyList<HeldRing> TakeAll()
    {
        lock (_gate)
        {
            var all = _rings.ToList();
            _rings.Clear();
            return all;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
