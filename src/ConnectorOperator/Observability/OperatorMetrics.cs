using ConnectorOperator.Api;
using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using Prometheus;

namespace ConnectorOperator.Observability;

/// <summary>
/// The operator's Prometheus series (prometheus-net's own instruments, one registry per operator so several
/// operators in one test process stay apart). It is the observer the controller runtime's hooks call (reconcile,
/// work queue, API requests, watches), and holds the per-AgentConnector series, labelled by namespace and name
/// only: never a conversation id, consumer id or login name.
/// </summary>
public sealed class OperatorMetrics : IControllerMetrics, IWorkQueueMetrics, IApiRequestMetrics, IWatcherMetrics
{
    private static readonly double[] ReconcileBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] QueueBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300];
    private static readonly double[] ApiBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly string[] States = Enum.GetNames<ConnectorState>();
    private static readonly string[] Connector = ["namespace", "name"];

    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, string[]> _infoLabels = [];

    private readonly Counter _reconciles;
    private readonly Histogram _reconcileDuration;
    private readonly Counter _reconcileErrors;
    private readonly Gauge _queueDepth;
    private readonly Counter _queueAdds;
    private readonly Counter _queueRetries;
    private readonly Histogram _queueDuration;
    private readonly Histogram _workDuration;
    private readonly Counter _apiRequests;
    private readonly Histogram _apiDuration;
    private readonly Counter _watchRestarts;
    private readonly Counter _watchRelists;
    private readonly Gauge _leader;
    private readonly Counter _leadershipChanges;
    private readonly Counter _statusPolls;
    private readonly Gauge _desired;
    private readonly Gauge _ready;
    private readonly Gauge _active;
    private readonly Gauge _waiting;
    private readonly Gauge _capacity;
    private readonly Gauge _state;
    private readonly Gauge _info;
    private readonly Counter _scaleEvents;

    public OperatorMetrics(CollectorRegistry? registry = null)
    {
        Registry = registry ?? Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        _reconciles = f.CreateCounter("connector_operator_reconcile_total", "AgentConnector reconciles, by result (success, requeue, error)", "result");
        _reconcileDuration = f.CreateHistogram("connector_operator_reconcile_duration_seconds", "Time one AgentConnector reconcile took",
            new HistogramConfiguration { Buckets = ReconcileBuckets });
        _reconcileErrors = f.CreateCounter("connector_operator_reconcile_errors_total", "Reconciles that failed, by reason (API reason or exception type)", "reason");
        _queueDepth = f.CreateGauge("connector_operator_workqueue_depth", "AgentConnector keys waiting in the work queue");
        _queueAdds = f.CreateCounter("connector_operator_workqueue_adds_total", "Keys added to the work queue, including adds that coalesced");
        _queueRetries = f.CreateCounter("connector_operator_workqueue_retries_total", "Rate-limited re-adds after a failed reconcile");
        _queueDuration = f.CreateHistogram("connector_operator_workqueue_queue_duration_seconds", "Time a key waited in the queue after it became due",
            new HistogramConfiguration { Buckets = QueueBuckets });
        _workDuration = f.CreateHistogram("connector_operator_workqueue_work_duration_seconds", "Time a worker held a key",
            new HistogramConfiguration { Buckets = QueueBuckets });
        _apiRequests = f.CreateCounter("connector_operator_api_requests_total", "Kubernetes API requests, by verb, resource and HTTP code (error: no answer)", "verb", "resource", "code");
        _apiDuration = f.CreateHistogram("connector_operator_api_request_duration_seconds", "Kubernetes API request latency until the response headers, by verb and resource",
            new HistogramConfiguration { LabelNames = ["verb", "resource"], Buckets = ApiBuckets });
        _watchRestarts = f.CreateCounter("connector_operator_watch_restarts_total", "Watch streams that ended and were renewed, by resource and reason (closed, expired, error)", "resource", "reason");
        _watchRelists = f.CreateCounter("connector_operator_watch_relists_total", "Full lists of a watched resource, by reason (initial, expired, list_error)", "resource", "reason");
        var cache = f.CreateGauge("connector_operator_cache_objects", "Objects in the operator's cache, by resource", "resource");
        _leader = f.CreateGauge("connector_operator_leader", "1 while this replica leads (reconciles), 0 otherwise");
        _leadershipChanges = f.CreateCounter("connector_operator_leadership_changes_total", "Times this replica became or stopped being the leader");
        _statusPolls = f.CreateCounter("connector_operator_status_polls_total", "Polls of connector pods' /status, by result (ok, error, timeout)", "result");
        _desired = f.CreateGauge("connector_operator_agentconnector_desired_replicas", "Connectors an AgentConnector should run now", Connector);
        _ready = f.CreateGauge("connector_operator_agentconnector_ready_replicas", "Ready connectors of an AgentConnector (status.readyReplicas)", Connector);
        _active = f.CreateGauge("connector_operator_agentconnector_active_conversations", "Conversations an AgentConnector's connectors hold", Connector);
        _waiting = f.CreateGauge("connector_operator_agentconnector_waiting_conversations", "Conversations waiting behind an AgentConnector's full connectors", Connector);
        _capacity = f.CreateGauge("connector_operator_agentconnector_capacity_conversations", "Conversations an AgentConnector's running connectors can hold", Connector);
        _state = f.CreateGauge("connector_operator_agentconnector_state", "1 for an AgentConnector's current state (Online, Offline, Stopped), 0 for the others", "namespace", "name", "state");
        _info = f.CreateGauge("connector_operator_agentconnector_info", "Always 1: an AgentConnector's environment and conversation type, to join on", "namespace", "name", "environment", "conversation_type");
        _scaleEvents = f.CreateCounter("connector_operator_agentconnector_scale_events_total", "Scale-ups and scale-downs of an AgentConnector, by direction (up, down)", "namespace", "name", "direction");
        _leader.Set(0);
        Registry.AddBeforeCollectCallback(() =>
        {
            if (Caches is not { } caches) return;
            cache.WithLabels(caches.Connectors.Type.Plural).Set(caches.Connectors.Store.Count);
            cache.WithLabels(caches.Pods.Type.Plural).Set(caches.Pods.Store.Count);
            cache.WithLabels(caches.Secrets.Type.Plural).Set(caches.Secrets.Store.Count);
            cache.WithLabels(caches.Budgets.Type.Plural).Set(caches.Budgets.Store.Count);
        });
    }

    /// <summary>The operator's series; <c>/metrics</c> on the health port exports it.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The caches whose sizes are read at scrape time.</summary>
    public OperatorCaches? Caches { get; set; }

    public void Reconciled(string result, TimeSpan duration)
    {
        _reconciles.WithLabels(result).Inc();
        _reconcileDuration.Observe(duration.TotalSeconds);
    }

    public void ReconcileFailed(string reason) => _reconcileErrors.WithLabels(reason).Inc();

    public void Added() => _queueAdds.Inc();

    public void Retried(TimeSpan delay) => _queueRetries.Inc();

    public void DepthChanged(int depth) => _queueDepth.Set(depth);

    public void Taken(TimeSpan waited) => _queueDuration.Observe(waited.TotalSeconds);

    public void Completed(TimeSpan duration) => _workDuration.Observe(duration.TotalSeconds);

    public void Observed(string verb, string resource, string code, TimeSpan latency)
    {
        _apiRequests.WithLabels(verb, resource, code).Inc();
        _apiDuration.WithLabels(verb, resource).Observe(latency.TotalSeconds);
    }

    public void Listed(string resource, string reason) => _watchRelists.WithLabels(resource, reason).Inc();

    public void Restarted(string resource, string reason) => _watchRestarts.WithLabels(resource, reason).Inc();

    /// <summary>This replica started (true) or stopped (false) leading.</summary>
    public void Leading(bool leading)
    {
        var was = _leader.Value == 1;
        _leader.Set(leading ? 1 : 0);
        if (was != leading) _leadershipChanges.Inc();
        // A replica that no longer leads stops reconciling: its per-AgentConnector numbers would only go stale.
        if (!leading) ForgetAllConnectors();
    }

    public void StatusPolled(string result) => _statusPolls.WithLabels(result).Inc();

    /// <summary>The status the reconciler computed for one AgentConnector (written or unchanged).</summary>
    public void ConnectorObserved(AgentConnector connector, AgentConnectorStatus status)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(status);
        var key = ObjectKey.Of(connector);
        string[] labels = [key.Namespace, key.Name];
        string[] info = [key.Namespace, key.Name, connector.Spec.Environment.ToString(), connector.Spec.ConversationType?.ToString() ?? ""];
        lock (_gate)
        {
            if (_infoLabels.TryGetValue(key, out var old) && !old.SequenceEqual(info)) _info.RemoveLabelled(old);
            _infoLabels[key] = info;
            _info.WithLabels(info).Set(1);
            _desired.WithLabels(labels).Set(status.DesiredReplicas);
            _ready.WithLabels(labels).Set(status.ReadyReplicas);
            _active.WithLabels(labels).Set(status.ActiveConversations);
            _waiting.WithLabels(labels).Set(status.WaitingConversations);
            _capacity.WithLabels(labels).Set(status.Capacity);
            foreach (var state in States)
                _state.WithLabels(key.Namespace, key.Name, state).Set(status.State?.ToString() == state ? 1 : 0);
        }
    }

    /// <summary>A ScaledUp or ScaledDown event the reconciler recorded.</summary>
    public void Scaled(ObjectKey key, bool up) => _scaleEvents.WithLabels(key.Namespace, key.Name, up ? "up" : "down").Inc();

    /// <summary>The AgentConnector is gone: its series go too, so deleted resources leave nothing behind.</summary>
    public void ConnectorForgotten(ObjectKey key)
    {
        lock (_gate)
        {
            if (_infoLabels.Remove(key, out var info)) _info.RemoveLabelled(info);
            _desired.RemoveLabelled(key.Namespace, key.Name);
            _ready.RemoveLabelled(key.Namespace, key.Name);
            _active.RemoveLabelled(key.Namespace, key.Name);
            _waiting.RemoveLabelled(key.Namespace, key.Name);
            _capacity.RemoveLabelled(key.Namespace, key.Name);
            foreach (var state in States) _state.RemoveLabelled(key.Namespace, key.Name, state);
            _scaleEvents.RemoveLabelled(key.Namespace, key.Name, "up");
            _scaleEvents.RemoveLabelled(key.Namespace, key.Name, "down");
        }
    }

    private void ForgetAllConnectors()
    {
        List<ObjectKey> keys;
        lock (_gate) keys = [.. _infoLabels.Keys];
        foreach (var key in keys) ConnectorForgotten(key);
    }
}
