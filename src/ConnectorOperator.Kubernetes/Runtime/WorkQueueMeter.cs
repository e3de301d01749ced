using System.Diagnostics.Metrics;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// <see cref="IWorkQueueMetrics"/> published through System.Diagnostics.Metrics (meter <see cref="MeterName"/>), so
/// OpenTelemetry or dotnet-counters can read them. Every instrument carries the tag <c>name</c> = the queue's name.
/// </summary>
public sealed class WorkQueueMeter : IWorkQueueMetrics, IDisposable
{
    public const string MeterName = "ConnectorOperator.WorkQueue";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly Counter<long> _adds;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<double> _workDuration;
    private int _depth;

    /// <param name="queueName">Distinguishes queues (e.g. the controller's kind).</param>
    /// <param name="meterFactory">The host's factory when using DI; otherwise this instance owns its meter.</param>
    public WorkQueueMeter(string queueName, IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _tag = new("name", queueName);
        _adds = _meter.CreateCounter<long>("workqueue.adds", "{key}", "Keys added, including adds that coalesced with a queued key");
        _retries = _meter.CreateCounter<long>("workqueue.retries", "{key}", "Rate-limited re-adds after a failure");
        _queueDuration = _meter.CreateHistogram<double>("workqueue.queue_duration", "s", "Time a key waited after becoming due");
        _workDuration = _meter.CreateHistogram<double>("workqueue.work_duration", "s", "Time a worker held a key");
        _meter.CreateObservableGauge("workqueue.depth", () => new Measurement<int>(Volatile.Read(ref _depth), _tag), "{key}", "Keys waiting to be handed out");
    }

    public void Added() => _adds.Add(1, _tag);

    public void Retried(TimeSpan delay) => _retries.Add(1, _tag);

    public void DepthChanged(int depth) => Volatile.Write(ref _depth, depth);

    public void Taken(TimeSpan waited) => _queueDuration.Record(waited.TotalSeconds, _tag);

    public void Completed(TimeSpan duration) => _workDuration.Record(duration.TotalSeconds, _tag);

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
