namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>The bounded window of recent changes a watch can resume from. Not thread-safe: the store's lock guards it.</summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Queue<ChangeEvent> _events = new();

    /// <summary>Every change with a resourceVersion above this is still held; a resume point below it is "too old".</summary>
    public long Floor { get; private set; }

    public void Add(ChangeEvent change)
    {
        _events.Enqueue(change);
        while (_events.Count > Math.Max(1, capacity))
        {
            Floor = _events.Dequeue().ResourceVersion;
        }
    }

    public IEnumerable<ChangeEvent> After(long resourceVersion) => _events.Where(e => e.ResourceVersion > resourceVersion);
}
