using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Serialization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Writes events.k8s.io/v1 Events from background writers (<see cref="EventRecorderOptions.Writers"/> of them, each with
/// its own bounded queue; one object's events always go to the same writer, so they keep their order).
/// <see cref="Record(IKubernetesObject{V1ObjectMeta},string,string,string,string)"/> only enqueues: it never blocks,
/// never throws, and drops events when that writer's queue is full.
/// Repeats of the same (object uid, type, reason, action, note) within the aggregation window patch the first
/// Event's <c>series</c> (count, lastObservedTime) instead of creating new Events. Write failures are logged and,
/// after a few tries for transient errors, dropped: an event is never worth failing a reconcile.
/// </summary>
public sealed class EventRecorder : IEventRecorder, IAsyncDisposable
{
    private const int MaxNoteBytes = 1024;
    private const int MaxReasonLength = 128;
    private const int MaxActionLength = 128;
    private const int MaxInstanceLength = 128;
    private const int MaxNameLength = 253;
    private const int MaxSeriesTracked = 4096;
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);

    private readonly KubernetesClient _client;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lane[] _lanes;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _instance;

    private long _dropped;
    private long _lastFullWarning = long.MinValue;
    private int _disposed;

    public EventRecorder(KubernetesClient client, EventRecorderOptions? options = null, TimeProvider? time = null, ILogger<EventRecorder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new EventRecorderOptions();
        if (string.IsNullOrWhiteSpace(_options.ReportingController)) throw new ArgumentException("ReportingController is required", nameof(options));
        if (string.IsNullOrWhiteSpace(_options.ReportingInstance)) throw new ArgumentException("ReportingInstance is required", nameof(options));
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _instance = Cut(_options.ReportingInstance, MaxInstanceLength);
        _lanes = [.. Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => new Lane(_options.QueueCapacity, _time.GetUtcNow()))];
        foreach (var lane in _lanes) lane.Loop = Task.Run(() => ProcessAsync(lane));
    }

    /// <summary>Events not written: queue full, invalid input, or the API refused/failed after retries.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string action, string note)
    {
        try
        {
            if (regarding is null)
            {
                Drop("no regarding object", reason);
                return;
            }
            Record(ReferenceTo(regarding), type, reason, action, note);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _dropped);
            _logger.LogWarning(e, "Event {Reason} not recorded", reason);
        }
    }

    /// <summary>As <see cref="Record(IKubernetesObject{V1ObjectMeta},string,string,string,string)"/>, for an object known only by reference.</summary>
    public void Record(V1ObjectReference regarding, string type, string reason, string action, string note)
    {
        try
        {
            if (regarding is null || string.IsNullOrEmpty(regarding.Name))
            {
                Drop("no regarding object name", reason);
                return;
            }
            if (type is not (EventTypes.Normal or EventTypes.Warning))
            {
                Drop($"type must be Normal or Warning, not '{type}'", reason);
                return;
            }
            if (string.IsNullOrEmpty(reason) || string.IsNullOrEmpty(action))
            {
                Drop("reason and action are required", reason);
                return;
            }
            if (Volatile.Read(ref _disposed) == 1)
            {
                Interlocked.Increment(ref _dropped);
                _logger.LogDebug("Event {Reason} not recorded: the recorder is disposed", reason);
                return;
            }
            var occurrence = new Occurrence(regarding, type, Cut(reason, MaxReasonLength), Cut(action, MaxActionLength),
                CutUtf8(note ?? "", MaxNoteBytes), _time.GetUtcNow());
            if (!LaneOf(regarding).Channel.Writer.TryWrite(new Work(occurrence, null))) QueueFull(reason);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _dropped);
            _logger.LogWarning(e, "Event {Reason} not recorded", reason);
        }
    }

    /// <summary>Completes once every event recorded before the call has been written or dropped.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.WhenAll(_lanes.Select(lane => FlushAsync(lane, cancellationToken)));

    private static async Task FlushAsync(Lane lane, CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await lane.Channel.Writer.WriteAsync(new Work(null, flushed), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await lane.Loop.WaitAsync(cancellationToken);
            return;
        }
        await flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>One object's events always share a writer: their series and their order stay together.</summary>
    private Lane LaneOf(V1ObjectReference regarding)
    {
        if (_lanes.Length == 1) return _lanes[0];
        var identity = regarding.Uid ?? $"{regarding.Kind}/{regarding.NamespaceProperty}/{regarding.Name}";
        return _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(identity) % (uint)_lanes.Length)];
    }

    /// <summary>Stops accepting events and writes the queued ones for up to <see cref="EventRecorderOptions.DrainTimeout"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var lane in _lanes) lane.Channel.Writer.TryComplete();
        var loops = Task.WhenAll(_lanes.Select(lane => lane.Loop));
        try
        {
            await loops.WaitAsync(_options.DrainTimeout, _time);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Event recorder stopped with events still queued");
            await _stop.CancelAsync();
            await loops;
        }
        _stop.Dispose();
    }

    private async Task ProcessAsync(Lane lane)
    {
        try
        {
            await foreach (var work in lane.Channel.Reader.ReadAllAsync(_stop.Token))
            {
                if (work.Flushed is { } flushed)
                {
                    flushed.TrySetResult();
                    continue;
                }
                try
                {
                    await WriteAsync(lane, work.Occurrence!, _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _dropped);
                    _logger.LogWarning(e, "Event {Reason} dropped", work.Occurrence!.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposal gave up waiting.
        }
        finally
        {
            // Whatever is left is dropped; anyone flushing must not wait forever.
            while (lane.Channel.Reader.TryRead(out var left))
            {
                if (left.Flushed is { } flushed) flushed.TrySetResult();
                else Interlocked.Increment(ref _dropped);
            }
        }
    }

    private async Task WriteAsync(Lane lane, Occurrence occurrence, CancellationToken cancellationToken)
    {
        lane.PruneSeries(occurrence.Time, _options.AggregationWindow);
        var seriesOf = lane.Series;
        var key = new SeriesKey(occurrence.Regarding.Uid ?? $"{occurrence.Regarding.Kind}/{occurrence.Regarding.NamespaceProperty}/{occurrence.Regarding.Name}",
            occurrence.Type, occurrence.Reason, occurrence.Action, occurrence.Note);
        if (seriesOf.TryGetValue(key, out var series) && occurrence.Time - series.FirstTime < _options.AggregationWindow)
        {
            series.Count++;
            var patch = KubernetesPatch.Merge(new JsonObject
            {
                ["series"] = new JsonObject
                {
                    ["count"] = series.Count,
                    ["lastObservedTime"] = occurrence.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                },
            });
            var outcome = await TryAsync(ct => _client.PatchAsync<Eventsv1Event>(ResourceType.Event, series.Namespace, series.Name, patch, cancellationToken: ct),
                occurrence, cancellationToken);
            if (outcome != Outcome.Gone) return;
            // The API server expired the Event (event TTL): start a new series.
            seriesOf.Remove(key);
        }

        var @event = NewEvent(occurrence);
        switch (await TryAsync(ct => _client.CreateAsync(ResourceType.Event, @event, ct), occurrence, cancellationToken))
        {
            case Outcome.Written:
                seriesOf[key] = new Series(@event.Metadata.Name!, @event.Metadata.NamespaceProperty!, occurrence.Time);
                break;
            case Outcome.Gone:
                Drop($"namespace {@event.Metadata.NamespaceProperty} not found", occurrence.Reason);
                break;
        }
    }

    private async Task<Outcome> TryAsync(Func<CancellationToken, Task> write, Occurrence occurrence, CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            string error;
            try
            {
                await write(cancellationToken);
                return Outcome.Written;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                return Outcome.Gone;
            }
            catch (KubernetesApiException e) when (!IsTransient(e))
            {
                Interlocked.Increment(ref _dropped);
                _logger.LogWarning("Event {Reason} for {Kind} {Namespace}/{Name} refused: {Error}",
                    occurrence.Reason, occurrence.Regarding.Kind, occurrence.Regarding.NamespaceProperty, occurrence.Regarding.Name, e.Message);
                return Outcome.Failed;
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or TimeoutException or IOException)
            {
                error = e.Message;
            }
            if (attempt >= Math.Max(1, _options.MaxAttempts))
            {
                Interlocked.Increment(ref _dropped);
                _logger.LogWarning("Event {Reason} for {Kind} {Namespace}/{Name} dropped after {Attempts} tries: {Error}",
                    occurrence.Reason, occurrence.Regarding.Kind, occurrence.Regarding.NamespaceProperty, occurrence.Regarding.Name, attempt, error);
                return Outcome.Failed;
            }
            await Task.Delay(delay, _time, cancellationToken);
            delay *= 2;
        }
    }

    private static bool IsTransient(KubernetesApiException e) =>
        e.IsTooManyRequests || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout;

    private Eventsv1Event NewEvent(Occurrence occurrence)
    {
        var regarding = occurrence.Regarding;
        return new Eventsv1Event
        {
            ApiVersion = Eventsv1Event.KubeGroup + "/" + Eventsv1Event.KubeApiVersion,
            Kind = Eventsv1Event.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = EventName(regarding.Name!),
                NamespaceProperty = string.IsNullOrEmpty(regarding.NamespaceProperty) ? "default" : regarding.NamespaceProperty,
            },
            EventTime = occurrence.Time.UtcDateTime,
            ReportingController = _options.ReportingController,
            ReportingInstance = _instance,
            Action = occurrence.Action,
            Reason = occurrence.Reason,
            Regarding = regarding,
            Note = occurrence.Note,
            Type = occurrence.Type,
        };
    }

    /// <summary>"&lt;regarding-name&gt;.&lt;16 hex digits&gt;", the prefix cut so the whole stays a valid object name.</summary>
    private static string EventName(string regardingName)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var prefix = regardingName.Length > MaxNameLength - suffix.Length - 1 ? regardingName[..(MaxNameLength - suffix.Length - 1)].TrimEnd('.', '-') : regardingName;
        return $"{prefix}.{suffix}";
    }

    private static V1ObjectReference ReferenceTo(IKubernetesObject<V1ObjectMeta> obj) => new()
    {
        ApiVersion = obj.ApiVersion,
        Kind = obj.Kind,
        NamespaceProperty = obj.Metadata.NamespaceProperty,
        Name = obj.Metadata.Name,
        Uid = obj.Metadata.Uid,
        ResourceVersion = obj.Metadata.ResourceVersion,
    };

    private void Drop(string why, string? reason)
    {
        Interlocked.Increment(ref _dropped);
        _logger.LogWarning("Event {Reason} not recorded: {Why}", reason, why);
    }

    private void QueueFull(string reason)
    {
        Interlocked.Increment(ref _dropped);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastFullWarning);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < WarnEvery) return;
        if (Interlocked.CompareExchange(ref _lastFullWarning, now, last) != last) return;
        _logger.LogWarning("Event queue full ({Capacity}); dropping events such as {Reason}", _options.QueueCapacity, reason);
    }

    private static string Cut(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];

    /// <summary>Cuts to at most <paramref name="maxBytes"/> UTF-8 bytes without splitting a character.</summary>
    internal static string CutUtf8(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        var bytes = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }
        return text[..end];
    }

    private enum Outcome
    {
        Written,
        Gone,
        Failed,
    }

    /// <summary>One writer: its queue, its loop, and the series it aggregates (touched only by its loop).</summary>
    private sealed class Lane(int capacity, DateTimeOffset now)
    {
        public Channel<Work> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<Work>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        public Task Loop { get; set; } = Task.CompletedTask;

        public Dictionary<SeriesKey, Series> Series { get; } = [];

        private DateTimeOffset _prunedAt = now;

        public void PruneSeries(DateTimeOffset now, TimeSpan window)
        {
            if (now - _prunedAt < TimeSpan.FromMinutes(1) && Series.Count < MaxSeriesTracked) return;
            _prunedAt = now;
            foreach (var (key, series) in Series)
            {
                if (now - series.FirstTime >= window) Series.Remove(key);
            }
            // A flood of distinct events: forget them all rather than grow; the cost is a few unaggregated repeats.
            if (Series.Count >= MaxSeriesTracked) Series.Clear();
        }
    }

    private sealed record Occurrence(V1ObjectReference Regarding, string Type, string Reason, string Action, string Note, DateTimeOffset Time);

    private sealed record Work(Occurrence? Occurrence, TaskCompletionSource? Flushed);

    private readonly record struct SeriesKey(string Object, string Type, string Reason, string Action, string Note);

    private sealed class Series(string name, string @namespace, DateTimeOffset firstTime)
    {
        public string Name { get; } = name;
        public string Namespace { get; } = @namespace;
        public DateTimeOffset FirstTime { get; } = firstTime;
        public int Count { get; set; } = 1;
    }
}
