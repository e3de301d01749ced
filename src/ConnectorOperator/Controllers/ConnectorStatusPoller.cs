using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Observability;
using ConnectorOperator.Reconciliation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Reads each running connector's GET /status on its own schedule, apart from reconciles: every pod once per
/// <see cref="OperatorSettings.StatusPollInterval"/>, at an offset of its own (so polls spread over the interval
/// instead of arriving in lockstep), and a pod that just started at once. Only a report that changed what the
/// status shows wakes its AgentConnector. A failure is recorded for that pod and keeps the last good report, so a
/// blip does not erase the Details view. Each poll closes its connection: a few sockets at a time, not one per pod.
/// </summary>
public sealed class ConnectorStatusPoller : IDisposable
{
    /// <summary>The trace source of status poll spans.</summary>
    public const string ActivitySourceName = "ConnectorOperator.StatusPoll";

    /// <summary>Polls in flight at once; each is a short request on loopback or the pod network.</summary>
    private const int Concurrency = 8;

    private static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly HttpClient _http;
    private readonly OperatorSettings _settings;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger<ConnectorStatusPoller> _logger;
    private readonly Store<V1Pod> _pods;
    private readonly WorkQueue<ObjectKey> _due;
    private readonly ConcurrentDictionary<ObjectKey, ConnectorPoll> _last = new();
    private Action<ObjectKey>? _changed;

    public ConnectorStatusPoller(HttpClient http, Informer<V1Pod> pods, OperatorSettings settings, OperatorMetrics metrics, ILogger<ConnectorStatusPoller> logger,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        _http = http;
        _settings = settings;
        _metrics = metrics;
        _logger = logger;
        _pods = pods.Store;
        _due = new WorkQueue<ObjectKey>(time: time);
        pods.Subscribe(OnPodChanged);
    }

    /// <summary>The last poll of a pod (its report, or why there is none), or null before the first.</summary>
    public ConnectorPoll? Latest(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return _last.GetValueOrDefault(ObjectKey.Of(pod));
    }

    /// <summary>
    /// Polls, now, the running pods never polled yet (a reconcile that raced the poller's first look at a new
    /// connector), so a status written as complete already carries their reports.
    /// </summary>
    public async Task EnsurePolledAsync(IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        await Task.WhenAll(pods.Where(p => Pollable(p) && !_last.ContainsKey(ObjectKey.Of(p))).Select(async pod =>
            _last.TryAdd(ObjectKey.Of(pod), await PollOneAsync(pod, null, cancellationToken))));
    }

    /// <summary>Polls until cancelled (while leading); <paramref name="changed"/> is told the AgentConnector whose report changed.</summary>
    public async Task RunAsync(Action<ObjectKey> changed, CancellationToken cancellationToken)
    {
        _changed = changed;
        await _pods.WaitForSyncAsync(cancellationToken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (cancellationToken.IsCancellationRequested) return;
        foreach (var pod in _pods.List().Where(Pollable)) _due.AddAfter(ObjectKey.Of(pod), Offset(pod));
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => WorkAsync(cancellationToken)));
        _due.Clear();
        _changed = null;
    }

    private void OnPodChanged(StoreChange<V1Pod> change)
    {
        if (change.New is not { } pod)
        {
            _last.TryRemove(ObjectKey.Of(change.Old!), out _);
            return;
        }
        // A connector that just started (or got its address) is looked at now, not at its next turn.
        if (Pollable(pod) && (change.Old is null || !Pollable(change.Old))) _due.Add(ObjectKey.Of(pod));
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await _due.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                if (_pods.Get(key) is not { } pod || !Pollable(pod)) continue;
                var previous = _last.GetValueOrDefault(key);
                var poll = await PollOneAsync(pod, previous, cancellationToken);
                _last[key] = poll;
                if (!SameForStatus(previous, poll) && pod.Metadata.ControllerReference() is { } owner)
                    _changed?.Invoke(new ObjectKey(key.Namespace, owner.Name));
                _due.AddAfter(key, _settings.StatusPollInterval);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _due.Done(key);
            }
        }
    }

    private static bool Pollable(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase == "Running" && !string.IsNullOrEmpty(pod.Status.PodIP);

    /// <summary>A pod's own place in the interval (stable across restarts of the operator).</summary>
    private TimeSpan Offset(V1Pod pod)
    {
        var hash = (uint)StringComparer.Ordinal.GetHashCode(pod.Metadata.Uid ?? pod.Metadata.Name ?? "");
        return TimeSpan.FromTicks((long)(_settings.StatusPollInterval.Ticks * (hash / (double)uint.MaxValue)));
    }

    /// <summary>Equal in everything the status shows (the report's own timestamps aside).</summary>
    internal static bool SameForStatus(ConnectorPoll? a, ConnectorPoll b)
    {
        if (a is null) return false;
        if (a.Error != b.Error) return false;
        var (x, y) = (a.Report, b.Report);
        if (x is null || y is null) return x is null && y is null;
        return x.State == y.State && x.Reason == y.Reason && x.Message == y.Message && x.ActiveConversations == y.ActiveConversations
            && x.WaitingConversations == y.WaitingConversations && x.OfferedAtCapacity == y.OfferedAtCapacity
            && StatusComparer.Same(ConnectorDetails.Components(x.Components), ConnectorDetails.Components(y.Components));
    }

    private async Task<ConnectorPoll> PollOneAsync(V1Pod pod, ConnectorPoll? last, CancellationToken cancellationToken)
    {
        var port = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == "http")?.ContainerPort ?? _settings.ConnectorPort;
        var host = pod.Status.PodIP.Contains(':', StringComparison.Ordinal) ? $"[{pod.Status.PodIP}]" : pod.Status.PodIP;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.StatusPollTimeout);
        using var activity = Source.StartActivity("poll connector status", ActivityKind.Client);
        activity?.SetTag("k8s.pod.name", pod.Metadata.Name);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{host}:{port}{ConnectorEndpoints.Status}"));
            // One request per pod per interval: keeping the connection would hold a socket per pod for nothing.
            request.Headers.ConnectionClose = true;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            response.EnsureSuccessStatusCode();
            var report = await response.Content.ReadFromJsonAsync(ConnectorStatusJsonContext.Default.ConnectorStatusReport, deadline.Token);
            _metrics.StatusPolled("ok");
            return new ConnectorPoll(report, null);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = e is OperationCanceledException ? $"no answer within {_settings.StatusPollTimeout.TotalSeconds:0.#} s" : e.Message;
            _metrics.StatusPolled(e is OperationCanceledException ? "timeout" : "error");
            activity?.SetStatus(ActivityStatusCode.Error, error);
            _logger.LogDebug("Status poll of connector {Namespace}/{Pod} failed: {Error}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, error);
            return new ConnectorPoll(last?.Report, error);
        }
    }

    public void Dispose() => _due.Dispose();
}
