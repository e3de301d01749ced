namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>How an <see cref="EventRecorder"/> identifies itself and paces its writes.</summary>
public sealed class EventRecorderOptions
{
    /// <summary>Who emits the events (events.k8s.io reportingController), e.g. "connectoroperator.dev/operator".</summary>
    public string ReportingController { get; set; } = "connectoroperator.dev/operator";

    /// <summary>Which replica emits them (reportingInstance): POD_NAME when set, else the host name.</summary>
    public string ReportingInstance { get; set; } = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;

    /// <summary>Repeats of an identical event within this window (from its first occurrence) update one Event's series.</summary>
    public TimeSpan AggregationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Events waiting to be written, per writer; beyond it new ones are dropped rather than blocking the caller.</summary>
    public int QueueCapacity { get; set; } = 2000;

    /// <summary>Writers at once, each a queue of its own (one object's events always go to the same one, in order).
    /// One writer waits a round trip per Event; a burst from many reconcile workers needs several.</summary>
    public int Writers { get; set; } = 4;

    /// <summary>Tries per write on transient failures (transport errors, 429, 5xx) before the event is dropped.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the second try; doubles for each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long disposal waits for queued events to be written.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
