namespace ConnectorOperator.Connector.Chat;

/// <summary>
/// Ringing chats a full Chat connector leaves unaccepted: the demand waiting beyond its capacity. The
/// same ringing chats show on every poll, so only growth of the left-ringing number counts as new offers.
/// One poll loop writes; /status and /metrics read.
/// </summary>
public sealed class RingingDemand
{
    private int _waiting;
    private long _offeredAtCapacity;

    /// <summary>Ringing chats left unaccepted at capacity on the last poll.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Ringing chats counted as offered while full, since the process started.</summary>
    public long OfferedAtCapacity => Interlocked.Read(ref _offeredAtCapacity);

    /// <summary>
    /// Records one poll: <paramref name="ringing"/> chats rang, <paramref name="accepted"/> were taken, and the
    /// rest were left because the connector was full (<paramref name="stoppedAtCapacity"/>). Returns the new offers counted.
    /// </summary>
    public int RecordPoll(int ringing, int accepted, bool stoppedAtCapacity)
    {
        var left = stoppedAtCapacity ? Math.Max(0, ringing - accepted) : 0;
        var previous = Interlocked.Exchange(ref _waiting, left);
        var grown = Math.Max(0, left - previous);
        if (grown > 0)
        {
            Interlocked.Add(ref _offeredAtCapacity, grown);
        }

        return grown;
    }

    /// <summary>The agent session ended: nothing rings for it any more.</summary>
    public void Reset() => Volatile.Write(ref _waiting, 0);
}
