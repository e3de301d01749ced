using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Selectors;

namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>
/// One open watch: filters committed changes for its resource, namespace and selectors and queues them without
/// ever blocking the writer. A watcher that falls too far behind is closed, as the real apiserver does.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel;
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, int bufferSize, Action<WatchSubscription> unsubscribe)
    {
        Resource = resource;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(Math.Max(1, bufferSize))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ResourceType Resource { get; }

    public string? Namespace { get; }

    internal LabelSelector Labels { get; }

    internal FieldSelector Fields { get; }

    /// <summary>True when the server closed this watch because its reader fell behind.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The raw queue: objects are the stored ones and must not be changed (read them through <see cref="AsClientSees"/>).</summary>
    internal ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>Events as a client sees them (copies at the watched version) until the watch closes or is cancelled.</summary>
    public async IAsyncEnumerable<WatchEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return AsClientSees(e);
        }
    }

    /// <summary>
    /// A queued event as the client sees it: a copy of the stored object at the watched version. Bookmarks are built
    /// for this watch alone (<see cref="ObjectStore.RequestBookmark"/>), so they are handed over as they are.
    /// </summary>
    internal WatchEvent AsClientSees(WatchEvent e) =>
        e.Type == WatchEventTypes.Bookmark ? e : new WatchEvent(e.Type, ObjectStore.Present(Resource, e.Object));

    internal bool Matches(JsonObject obj) =>
        (Namespace is null || ObjectMeta.Namespace(obj) == Namespace) && Labels.Matches(obj) && Fields.Matches(obj);

    /// <summary>Translates a change into what this watcher sees: an object entering or leaving the selection is ADDED or DELETED.</summary>
    internal void Offer(ChangeEvent change)
    {
        if (change.StorageKey != Resource.StorageKey)
        {
            return;
        }

        var now = Matches(change.Object);
        var before = change.Old is not null && Matches(change.Old);
        var type = change.Type switch
        {
            WatchEventTypes.Added when now => WatchEventTypes.Added,
            WatchEventTypes.Deleted when now => WatchEventTypes.Deleted,
            WatchEventTypes.Modified when now && before => WatchEventTypes.Modified,
            WatchEventTypes.Modified when now => WatchEventTypes.Added,
            WatchEventTypes.Modified when before => WatchEventTypes.Deleted,
            _ => null,
        };
        if (type is not null)
        {
            Push(new WatchEvent(type, change.Object));
        }
    }

    internal void Push(WatchEvent e)
    {
        if (!_channel.Writer.TryWrite(e) && !Overflowed)
        {
            Overflowed = true;
            _channel.Writer.TryComplete();
        }
    }

    internal void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        _unsubscribe(this);
    }
}
