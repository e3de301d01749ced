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
/// Carries out the planner's decisions for one AgentConnector: reads the caches, polls the connectors, and makes
/// the fewest writes (status only when it changed, then pod creates, then drains). A steady state writes nothing.
/// </summary>
public sealed class AgentConnectorReconciler(
    KubernetesClient client,
    OperatorCaches caches,
    ConnectorStatusPoller poller,
    CredentialsInspector credentials,
    PodExpectations expectations,
    IEventRecorder events,
    OperatorSettings settings,
    TimeProvider time,
    OperatorMetrics metrics,
    ILogger<AgentConnectorReconciler> logger) : IReconciler<AgentConnector>
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromMilliseconds(200);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, AgentConnector? connector, CancellationToken cancellationToken)
    {
        if (connector is null)
        {
            expectations.Forget(key);
            poller.Forget(key);
            metrics.ConnectorForgotten(key);
            return ReconcileResult.Done;
        }
        var ns = key.Namespace;
        var deleting = connector.Metadata.DeletionTimestamp is not null;
        if (deleting && !connector.Metadata.HasFinalizer(ConnectorLabels.Finalizer)) return ReconcileResult.Done;
        if (!deleting && !connector.Metadata.HasFinalizer(ConnectorLabels.Finalizer))
        {
            // The update event of this patch brings us back with the finalizer in place.
            return await TryPatchFinalizersAsync(connector, [.. connector.Metadata.Finalizers ?? [], ConnectorLabels.Finalizer], cancellationToken)
                ? ReconcileResult.Done
                : ReconcileResult.After(ConflictRetry);
        }
        if (!expectations.Satisfied(key, name => caches.Pods.Store.Get(ns, name)))
            return ReconcileResult.After(TimeSpan.FromMilliseconds(250));

        var pods = caches.Pods.Store.ByIndex(StoreIndexes.ControllerUid, connector.Metadata.Uid ?? "")
            .Where(p => p.Metadata.NamespaceProperty == ns)
            .ToList();
        var plan = await PlanAsync(key, connector, pods, cancellationToken);

        if (!StatusComparer.Same(connector.Status, plan.Status) && !await TryWriteStatusAsync(connector, plan.Status, cancellationToken))
            return ReconcileResult.After(ConflictRetry);
        metrics.ConnectorObserved(connector, plan.Status);

        foreach (var create in plan.Create) await CreatePodAsync(connector, key, create, plan.Status.Revision!, cancellationToken);
        foreach (var delete in plan.Delete) await DrainPodAsync(key, pods.First(p => p.Metadata.Name == delete.Name), delete, cancellationToken);
        if (!deleting) await EnsureDisruptionBudgetAsync(connector, plan.Status.DesiredReplicas, cancellationToken);
        foreach (var e in plan.Events)
        {
            events.Record(connector, e.Type, e.Reason, e.Action, e.Note);
            if (e.Reason is "ScaledUp" or "ScaledDown") metrics.Scaled(key, up: e.Reason == "ScaledUp");
        }

        if (deleting && plan.DrainComplete)
        {
            poller.Forget(key);
            var remaining = connector.Metadata.Finalizers!.Where(f => f != ConnectorLabels.Finalizer).ToList();
            logger.LogInformation("AgentConnector {Key} drained; removing finalizer", key);
            return await TryPatchFinalizersAsync(connector, remaining, cancellationToken) ? ReconcileResult.Done : ReconcileResult.After(ConflictRetry);
        }
        return plan.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    private async Task<ConnectorPlan> PlanAsync(ObjectKey key, AgentConnector connector, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var ns = connector.Metadata.NamespaceProperty ?? "";
        var spec = connector.Spec;
        // The operator's own check of the spec: the CRD may be older than this operator, so nothing is taken on trust.
        var check = SpecValidator.Validate(spec);
        var infos = new Dictionary<string, CredentialsInfo>(StringComparer.Ordinal);
        var secretVersions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var user in spec.AgentUsers)
        {
            var secretName = user.CredentialsSecretRef.Name;
            if (string.IsNullOrEmpty(secretName)) continue;
            var metadata = caches.Secrets.Store.Get(ns, secretName);
            infos[user.LoginName] = await credentials.InspectAsync(ns, secretName, metadata, cancellationToken);
            secretVersions[secretName] = metadata?.Metadata.ResourceVersion;
        }
        if (spec.ExternalWebhook?.ApiKeySecretRef?.Name is { Length: > 0 } webhookSecret)
            secretVersions[webhookSecret] = caches.Secrets.Store.Get(ns, webhookSecret)?.Metadata.ResourceVersion;
        if (spec.ExternalWebhook?.ApigeeClientSecretRef?.Name is { Length: > 0 } apigeeSecret)
            secretVersions[apigeeSecret] = caches.Secrets.Store.Get(ns, apigeeSecret)?.Metadata.ResourceVersion;

        var polls = await poller.PollAsync(key, pods, cancellationToken);
        return ConnectorPlanner.Plan(new PlanInput
        {
            Connector = connector,
            Pods = [.. pods.Select(p => new ObservedConnector(p, polls.GetValueOrDefault(p.Metadata.Name ?? "")))],
            Credentials = infos,
            ConflictingAgentUsers = AgentUserClaims.ConflictsFor(connector, caches.Connectors.Store.List()),
            Revision = ConnectorRevision.Compute(connector, settings, secretVersions),
            Settings = settings,
            Now = time.GetUtcNow(),
            SpecErrors = [.. check.Errors.Select(p => p.ToString())],
            SpecWarnings = check.Warnings,
        });
    }

    /// <summary>PUT /status carries the resourceVersion we planned from: a conflict means we planned on stale data.</summary>
    private async Task<bool> TryWriteStatusAsync(AgentConnector connector, AgentConnectorStatus status, CancellationToken cancellationToken)
    {
        var update = new AgentConnector { Metadata = connector.Metadata, Spec = connector.Spec, Status = status };
        try
        {
            await client.ReplaceAsync(AgentConnector.Resource, update, "status", cancellationToken);
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
            expectations.Forget(key);
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
        if (DisruptionBudgetFactory.UpToDate(observed, wanted)) return;
        if (observed is null)
        {
            try
            {
                await client.CreateAsync(ResourceType.PodDisruptionBudget, wanted, cancellationToken);
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

    /// <summary>Finalizers change by JSON patch guarded by a test of the current list: never a blind overwrite of someone else's.</summary>
    private async Task<bool> TryPatchFinalizersAsync(AgentConnector connector, List<string> finalizers, CancellationToken cancellationToken)
    {
        var builder = new JsonPatchBuilder();
        if (connector.Metadata.Finalizers is { } current)
            builder.Test("/metadata/finalizers", new JsonArray([.. current.Select(f => (JsonNode)JsonValue.Create(f))]));
        else
            builder.Test("/metadata/resourceVersion", JsonValue.Create(connector.Metadata.ResourceVersion));
        builder.Add("/metadata/finalizers", new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]));
        try
        {
            await client.PatchAsync<AgentConnector>(AgentConnector.Resource, connector.Metadata.NamespaceProperty, connector.Metadata.Name!, builder.Build(), null, cancellationToken);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsInvalid || e.IsNotFound)
        {
            return false;
        }
    }
}
