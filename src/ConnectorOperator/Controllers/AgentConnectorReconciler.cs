using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Observability;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Validation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Carries out the planner's decisions for one AgentConnector: reads the caches and the latest connector polls,
/// and makes the fewest writes. A new AgentConnector is started in one pass (finalizer, status, pods, budget);
/// a status change that is only progress waits for the next progress write (<see cref="StatusChange"/>); a
/// steady state writes nothing.
/// </summary>
public sealed class AgentConnectorReconciler(
    KubernetesClient client,
    OperatorCaches caches,
    ConnectorStatusPoller poller,
    CredentialsInspector credentials,
    CacheExpectations expectations,
    IEventRecorder events,
    OperatorSettings settings,
    TimeProvider time,
    OperatorMetrics metrics,
    ILogger<AgentConnectorReconciler> logger) : IReconciler<AgentConnector>
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromMilliseconds(200);
    private readonly Finalizers<AgentConnector> _finalizers = new(client, AgentConnector.Resource, ConnectorLabels.Finalizer);
    private readonly ConcurrentDictionary<ObjectKey, DateTimeOffset> _statusWrittenAt = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, AgentConnector? connector, CancellationToken cancellationToken)
    {
        if (connector is null)
        {
            expectations.Forget(key);
            _statusWrittenAt.TryRemove(key, out _);
            metrics.ConnectorForgotten(key);
            return ReconcileResult.Done;
        }
        var ns = key.Namespace;
        var deleting = connector.Metadata.DeletionTimestamp is not null;
        if (deleting && !_finalizers.IsOn(connector)) return ReconcileResult.Done;
        if (!expectations.Current(key, connector.Metadata.ResourceVersion) || !expectations.Satisfied(key, name => caches.Pods.Store.Get(ns, name)))
            return ReconcileResult.After(TimeSpan.FromMilliseconds(250));

        var pods = caches.Pods.Store.ByIndex(StoreIndexes.ControllerUid, connector.Metadata.Uid ?? "")
            .Where(p => p.Metadata.NamespaceProperty == ns)
            .ToList();
        // The finalizer goes on before any write that creates something (so no pod can outlive its AgentConnector
        // undrained); its patch and the plan's reads (Secrets, connector polls) are independent, so they overlap, and
        // the patch's answer carries the resourceVersion the status write needs.
        var finalizer = deleting ? Task.FromResult<AgentConnector?>(connector) : _finalizers.AddAsync(connector, cancellationToken);
        var planning = PlanAsync(key, connector, pods, cancellationToken);
        await Task.WhenAll(finalizer, planning);
        if (finalizer.Result is not { } withFinalizer) return ReconcileResult.After(ConflictRetry);
        if (withFinalizer.Metadata.ResourceVersion != connector.Metadata.ResourceVersion) expectations.ExpectReplaced(key, connector.Metadata.ResourceVersion);
        connector = withFinalizer;
        var plan = planning.Result;
        if (plan.Create.Count > 0)
        {
            // A second pod for an agent user means two sessions of it, and the cache can be far behind the server (a pod
            // watch in backoff, a follower that just took over from a leader who created pods): creates are planned on a
            // live read of this AgentConnector's pods, never on the cache alone.
            var live = await LivePodsAsync(connector, cancellationToken);
            if (!SamePods(live, pods))
            {
                logger.LogInformation("The pod cache is behind for {Key} ({Cached} cached, {Live} live); planning on the live pods", key, pods.Count, live.Count);
                pods = live;
                plan = await PlanAsync(key, connector, pods, cancellationToken);
            }
        }

        TimeSpan? progressDue = null;
        if (!StatusComparer.Same(connector.Status, plan.Status))
        {
            progressDue = StatusChange.Urgent(connector.Status, plan.Status) ? null : ProgressWriteDue(key);
            if (progressDue is null && !await TryWriteStatusAsync(key, connector, plan.Status, cancellationToken)) return ReconcileResult.After(ConflictRetry);
        }
        metrics.ConnectorObserved(connector, plan.Status);

        // The serials are persisted with the status above; the creates, drains and the budget are independent writes.
        var writes = plan.Create.Select(create => CreatePodAsync(connector, key, create, plan.Status.Revision!, cancellationToken))
            .Concat(plan.Delete.Select(delete => DrainPodAsync(key, pods.First(p => p.Metadata.Name == delete.Name), delete, cancellationToken)))
            .ToList();
        if (!deleting) writes.Add(EnsureDisruptionBudgetAsync(connector, plan.Status.DesiredReplicas, cancellationToken));
        await Task.WhenAll(writes);
        foreach (var e in plan.Events)
        {
            events.Record(connector, e.Type, e.Reason, e.Action, e.Note);
            if (e.Reason is "ScaledUp" or "ScaledDown") metrics.Scaled(key, up: e.Reason == "ScaledUp");
        }

        if (deleting && plan.DrainComplete)
        {
            logger.LogInformation("AgentConnector {Key} drained; removing finalizer", key);
            return await _finalizers.RemoveAsync(connector, cancellationToken) ? ReconcileResult.Done : ReconcileResult.After(ConflictRetry);
        }
        var requeue = plan.RequeueAfter;
        if (progressDue is { } due && (requeue is null || due < requeue)) requeue = due;
        return requeue is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    /// <summary>This AgentConnector's pods as the API server has them now (a quorum list), in the cache's lean form.</summary>
    private async Task<List<V1Pod>> LivePodsAsync(AgentConnector connector, CancellationToken cancellationToken)
    {
        var list = await client.ListAllAsync<V1Pod>(ResourceType.Pod, connector.Metadata.NamespaceProperty,
            new ListOptions { LabelSelector = $"{ConnectorLabels.Connector}={connector.Metadata.Name}" }, cancellationToken);
        return [.. list.Items.Where(p => StoreIndexes.ByControllerUid(p).Contains(connector.Metadata.Uid ?? "")).Select(ConnectorPodCache.Lean)];
    }

    /// <summary>The same pods in the same phase of life (present, terminating): nothing the plan depends on has moved.</summary>
    private static bool SamePods(List<V1Pod> live, List<V1Pod> cached) =>
        live.Count == cached.Count && live.All(l => cached.Any(c =>
            c.Metadata.Uid == l.Metadata.Uid && (c.Metadata.DeletionTimestamp is null) == (l.Metadata.DeletionTimestamp is null)));

    /// <summary>Null when a progress write may go now, else how long until it may.</summary>
    private TimeSpan? ProgressWriteDue(ObjectKey key)
    {
        if (!_statusWrittenAt.TryGetValue(key, out var at)) return null;
        var wait = at + settings.StatusProgressInterval - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : null;
    }

    private async Task<ConnectorPlan> PlanAsync(ObjectKey key, AgentConnector connector, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var ns = connector.Metadata.NamespaceProperty ?? "";
        var spec = connector.Spec;
        // The operator's own check of the spec: the CRD may be older than this operator, so nothing is taken on trust.
        var check = SpecValidator.Validate(spec);
        var secretVersions = new Dictionary<string, string?>(StringComparer.Ordinal);
        // Each credentials Secret is inspected once, all of them at once, while the new pods are polled.
        var secrets = spec.AgentUsers.Select(u => u.CredentialsSecretRef.Name).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal)
            .ToDictionary(n => n, n => caches.Secrets.Store.Get(ns, n), StringComparer.Ordinal);
        var inspections = secrets.ToDictionary(s => s.Key, s => credentials.InspectAsync(ns, s.Key, s.Value, cancellationToken), StringComparer.Ordinal);
        var polling = poller.EnsurePolledAsync(pods, cancellationToken);
        await Task.WhenAll(inspections.Values.Append(polling));
        var infos = new Dictionary<string, CredentialsInfo>(StringComparer.Ordinal);
        foreach (var user in spec.AgentUsers)
        {
            var secretName = user.CredentialsSecretRef.Name;
            if (string.IsNullOrEmpty(secretName)) continue;
            infos[user.LoginName] = inspections[secretName].Result;
            secretVersions[secretName] = secrets[secretName]?.Metadata.ResourceVersion;
        }
        if (spec.ExternalWebhook?.ApiKeySecretRef?.Name is { Length: > 0 } webhookSecret)
            secretVersions[webhookSecret] = caches.Secrets.Store.Get(ns, webhookSecret)?.Metadata.ResourceVersion;
        if (spec.ExternalWebhook?.ApigeeClientSecretRef?.Name is { Length: > 0 } apigeeSecret)
            secretVersions[apigeeSecret] = caches.Secrets.Store.Get(ns, apigeeSecret)?.Metadata.ResourceVersion;

        return ConnectorPlanner.Plan(new PlanInput
        {
            Connector = connector,
            Pods = [.. pods.Select(p => new ObservedConnector(p, poller.Latest(p)))],
            Credentials = infos,
            ConflictingAgentUsers = AgentUserClaims.ConflictsFor(connector, ConnectorIndexes.SharingAgentUsers(caches.Connectors.Store, connector)),
            Revision = ConnectorRevision.Compute(connector, settings, secretVersions),
            Settings = settings,
            Now = time.GetUtcNow(),
            SpecErrors = [.. check.Errors.Select(p => p.ToString())],
            SpecWarnings = check.Warnings,
        });
    }

    /// <summary>PUT /status carries the resourceVersion we planned from: a conflict means we planned on stale data.</summary>
    private async Task<bool> TryWriteStatusAsync(ObjectKey key, AgentConnector connector, AgentConnectorStatus status, CancellationToken cancellationToken)
    {
        var update = new AgentConnector { Metadata = connector.Metadata, Spec = connector.Spec, Status = status };
        try
        {
            await client.ReplaceAsync(AgentConnector.Resource, update, "status", cancellationToken);
            expectations.ExpectReplaced(key, connector.Metadata.ResourceVersion);
            _statusWrittenAt[key] = time.GetUtcNow();
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsNotFound)
        {
            logger.LogDebug("Status write for {Name} lost a race ({Reason}); planning again", connector.Metadata.Name, e.Reason);
            return false;
        }
    }

    private async Task CreatePodAsync(AgentConnector connector, ObjectKey key, PodToCreate create, string revision, CancellationToken cancellationToken)
    {
        var user = create.AgentUser;
        var pod = PodFactory.Build(connector, user, create.Credentials, create.Serial, revision, settings);
        expectations.ExpectCreate(key, pod.Metadata.Name!);
        try
        {
            await client.CreateAsync(ResourceType.Pod, pod, cancellationToken);
            logger.LogInformation("Created connector {Pod} for agent user {AgentUser} of {Key}: {Reason}", pod.Metadata.Name, user.LoginName, key, create.Reason);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            // The serial was persisted before an earlier attempt that got this far: the pod is ours already.
        }
        catch (KubernetesApiException e)
        {
            // Only this create: the others of the pass may have succeeded, and the cache must still show them first.
            expectations.CreateFailed(key, pod.Metadata.Name!);
            events.Record(connector, EventTypes.Warning, "CreateFailed", "Create", $"Could not create connector {pod.Metadata.Name}: {e.Status.Message}");
            throw;
        }
    }

    private async Task DrainPodAsync(ObjectKey key, V1Pod pod, PodToDelete delete, CancellationToken cancellationToken)
    {
        expectations.ExpectDelete(key, delete.Name);
        // Deletion runs the preStop drain and the grace period; the uid precondition never hits a same-named successor.
        await client.DeleteAsync(ResourceType.Pod, key.Namespace, delete.Name, new DeleteOptions { PreconditionUid = pod.Metadata.Uid }, cancellationToken);
        logger.LogInformation("Draining connector {Pod} (agent user {AgentUser}) of {Key}: {Reason}", delete.Name, delete.AgentUser, key, delete.Reason);
    }

    private async Task EnsureDisruptionBudgetAsync(AgentConnector connector, int desired, CancellationToken cancellationToken)
    {
        var wanted = DisruptionBudgetFactory.Build(connector, desired);
        var observed = caches.Budgets.Store.Get(wanted.Metadata.NamespaceProperty, wanted.Metadata.Name!);
        var key = ObjectKey.Of(connector);
        if (expectations.BudgetPending(key, cached: observed is not null)) return;
        if (DisruptionBudgetFactory.UpToDate(observed, wanted)) return;
        if (observed is null)
        {
            try
            {
                await client.CreateAsync(ResourceType.PodDisruptionBudget, wanted, cancellationToken);
                expectations.ExpectBudget(key);
                return;
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists)
            {
                // Created by an earlier pass the cache has not shown yet: fall through to patch it.
            }
        }
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["minAvailable"] = DisruptionBudgetFactory.MinAvailable(desired),
                ["maxUnavailable"] = null,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ConnectorLabels.Connector] = connector.Metadata.Name } },
            },
        };
        await client.PatchAsync<V1PodDisruptionBudget>(ResourceType.PodDisruptionBudget, wanted.Metadata.NamespaceProperty, wanted.Metadata.Name!, KubernetesPatch.Merge(patch), null, cancellationToken);
    }
}
