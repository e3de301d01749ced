using System.Diagnostics;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Maps changes of the primary kind, its owned kinds and any related kinds to primary keys on a work queue,
/// and runs bounded workers that reconcile one key at a time. Workers run only while <see cref="RunWorkersAsync"/>
/// runs (i.e. while leading); the informers keep the caches warm regardless.
/// </summary>
public sealed class Controller<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IControllerMetrics? _metrics;
    private readonly Informer<T> _primary;
    private readonly IReconciler<T> _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly List<Func<CancellationToken, Task>> _syncWaits = [];

    /// <param name="metrics">Observer of reconcile results, durations and errors.</param>
    /// <param name="queueMetrics">Observer of the work queue (depth, adds, retries, latencies).</param>
    /// <param name="filter">Which changes of the primary kind wake a reconcile; default <see cref="ChangePredicates.IgnoreStatusOnlyUpdates{T}"/>.</param>
    public Controller(Informer<T> primary, IReconciler<T> reconciler, ControllerOptions? options = null, TimeProvider? time = null, ILogger? logger = null,
        IControllerMetrics? metrics = null, IWorkQueueMetrics? queueMetrics = null, ChangePredicate<T>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        _primary = primary;
        _reconciler = reconciler;
        _options = options ?? new ControllerOptions();
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        Queue = new WorkQueue<ObjectKey>(new WorkQueueOptions { Metrics = queueMetrics }, time);
        _syncWaits.Add(primary.Store.WaitForSyncAsync);
        Filter = filter ?? ChangePredicates.IgnoreStatusOnlyUpdates<T>();
        primary.Subscribe(change =>
        {
            if (Filter.Matches(change)) Queue.Add(ObjectKey.Of(change.New ?? change.Old!));
        });
    }

    /// <summary>The predicate changes of the primary kind pass before they are queued.</summary>
    public ChangePredicate<T> Filter { get; }

    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>
    /// Objects of <paramref name="child"/> whose controller ownerReference names the primary kind, by API group and
    /// kind (a same-named kind of another group is not ours), wake their owner at <see cref="QueuePriority.High"/>:
    /// an owned object that moved is work under way, finished before new objects are started.
    /// </summary>
    public Controller<T> Owns<TChild>(Informer<TChild> child, ChangePredicate<TChild>? filter = null)
        where TChild : class, IKubernetesObject<V1ObjectMeta> =>
        Watches(child, obj => OwnerKeys(obj, _primary.Type), filter, QueuePriority.High);

    /// <summary>The owner key of <paramref name="obj"/> when its controller ownerReference is of <paramref name="owner"/>'s group and kind.</summary>
    internal static IEnumerable<ObjectKey> OwnerKeys<TChild>(TChild obj, ResourceType owner)
        where TChild : IKubernetesObject<V1ObjectMeta> =>
        obj.Metadata.ControllerReference() is { } reference && reference.Kind == owner.Kind && GroupOf(reference.ApiVersion) == owner.Group
            ? [new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name)]
            : [];

    /// <summary>Any kind, mapped to the primary keys it affects (e.g. a Secret to the connectors that use it), queued at <paramref name="priority"/>.</summary>
    public Controller<T> Watches<TOther>(Informer<TOther> other, Func<TOther, IEnumerable<ObjectKey>> map, ChangePredicate<TOther>? filter = null,
        QueuePriority priority = QueuePriority.Normal)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(map);
        _syncWaits.Add(other.Store.WaitForSyncAsync);
        other.Subscribe(change =>
        {
            if (filter is not null && !filter.Matches(change)) return;
            Enqueue(change.Old);
            Enqueue(change.New);
        });
        return this;

        void Enqueue(TOther? obj)
        {
            if (obj is null) return;
            foreach (var key in map(obj)) Queue.Add(key, priority);
        }
    }

    /// <summary>
    /// Waits for every cache to sync, queues every primary object once, and reconciles until cancelled
    /// (leadership lost or shutdown). On return the queue is empty, so a new leader term starts clean.
    /// </summary>
    public async Task RunWorkersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_syncWaits.Select(wait => wait(cancellationToken)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        foreach (var key in _primary.Store.Keys()) Queue.Add(key);
        _logger.LogInformation("Caches synced; starting {Workers} workers for {Kind}", _options.Workers, _primary.Type.Kind);

        var workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => WorkAsync(cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        Queue.Clear();
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await Queue.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // One span per reconcile; the API calls and status polls it makes are its children. Log lines carry the key.
            using var scope = _logger.BeginScope(new Dictionary<string, object> { ["Kind"] = _primary.Type.Kind, ["Namespace"] = key.Namespace, ["Name"] = key.Name });
            using var activity = ReconcileActivity.Source.StartActivity($"reconcile {_primary.Type.Kind}");
            activity?.SetTag("k8s.namespace", key.Namespace);
            activity?.SetTag("k8s.name", key.Name);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await _reconciler.ReconcileAsync(key, _primary.Store.Get(key), cancellationToken);
                Queue.Forget(key);
                if (result.RequeueAfter is { } after) Queue.AddAfter(key, after);
                var outcome = result.RequeueAfter is null ? "success" : "requeue";
                activity?.SetTag("reconcile.result", outcome);
                if (result.RequeueAfter is { } requeue) activity?.SetTag("reconcile.requeue_after_seconds", requeue.TotalSeconds);
                _metrics?.Reconciled(outcome, Stopwatch.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Leadership lost or shutting down: the next leader reconciles this key from scratch.
                activity?.SetTag("reconcile.result", "cancelled");
            }
            catch (Exception e)
            {
                Queue.AddRateLimited(key);
                var reason = ReasonOf(e);
                activity?.SetTag("reconcile.result", "error");
                activity?.SetStatus(ActivityStatusCode.Error, reason);
                _metrics?.Reconciled("error", Stopwatch.GetElapsedTime(started));
                _metrics?.ReconcileFailed(reason);
                _logger.LogWarning(e, "Reconcile of {Kind} {Key} failed (attempt {Failures}); backing off", _primary.Type.Kind, key, Queue.Failures(key));
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    /// <summary>The API's own reason (Conflict, Forbidden, ...) when it is a plain word, else the exception's type: a small set either way.</summary>
    internal static string ReasonOf(Exception e) =>
        e is KubernetesApiException { Reason: { Length: > 0 and <= 40 } reason } && reason.All(char.IsAsciiLetter) ? reason : e.GetType().Name;

    /// <summary>The group of an apiVersion: "apps/v1" → "apps", "v1" → "" (core); any version matches.</summary>
    private static string GroupOf(string? apiVersion) =>
        apiVersion?.IndexOf('/', StringComparison.Ordinal) is { } slash and >= 0 ? apiVersion[..slash] : "";
}
