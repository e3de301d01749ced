using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>Maps pods and their reports into the AgentConnector status: state, conditions, counts and the per-connector Details.</summary>
public static class StatusBuilder
{
    // Most actionable first: what a person must fix outranks what will pass by itself. Every Offline reason the
    // status can show is here (plus NoAgentUsers); docs/user-guide.md's troubleshooting table explains each.
    internal static readonly string[] ReasonPriority =
    [
        "InvalidSpec", "AgentUserConflict", "CredentialsMissing", "Unauthorized", "CreateContainerConfigError",
        "ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "InvalidConfiguration", "Error", "OOMKilled",
        "Unschedulable", "ConnectionFailed", "BotUnreachable", "Connecting", "Starting", "Pending",
    ];

    /// <summary>Offline reasons that pass by themselves while connectors start (not a failure).</summary>
    internal static readonly HashSet<string> StartingReasons = new(StringComparer.Ordinal) { "Connecting", "Starting", "Pending", "Draining" };

    public static AgentConnectorStatus Build(PlanInput input, IReadOnlyList<AgentUser> usable, ReplicaDecision decision, int nextSerial,
        IReadOnlyList<PodToCreate> creates, IReadOnlyList<PodToDelete> deletes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(usable);
        ArgumentNullException.ThrowIfNull(decision);
        var connector = input.Connector;
        var spec = connector.Spec;
        var previous = connector.Status;
        var generation = connector.Metadata.Generation;
        var now = input.Now;
        var live = input.Pods.Where(p => !p.Terminating).ToList();
        var ready = live.Count(p => p.Ready);
        var updated = live.Count(p => p.Revision == input.Revision);
        var perConnector = ReplicaCalculator.PerConnector(spec);
        var connectors = input.Pods
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => Describe(p, previous?.Connectors?.FirstOrDefault(c => c.Pod == p.Name)))
            .ToList();
        var deleting = connector.Metadata.DeletionTimestamp is not null;
        var invalid = input.SpecErrors.Count > 0;

        var status = new AgentConnectorStatus
        {
            ObservedGeneration = generation,
            Replicas = live.Count,
            ReadyReplicas = ready,
            UpdatedReplicas = updated,
            DesiredReplicas = decision.Desired,
            Selector = ConnectorLabels.SelectorString(connector.Metadata.Name!),
            ActiveConversations = live.Sum(p => p.ActiveConversations),
            WaitingConversations = live.Sum(p => p.WaitingConversations),
            Capacity = ready * perConnector,
            Revision = input.Revision,
            NextSerial = nextSerial,
            ScaleDownCandidateSince = decision.ScaleDownCandidateSince,
            ScaleUpCandidate = decision.ScaleUpCandidate,
            Connectors = connectors.Count == 0 ? null : connectors,
            AgentUsers = AgentUserRows(input, usable, connectors, creates),
        };

        // Why the connectors are not all online, most actionable reason first.
        var problems = new List<(string Reason, string Message)>();
        if (invalid) problems.Add(("InvalidSpec", "the spec is invalid: " + string.Join("; ", input.SpecErrors)));
        foreach (var user in spec.AgentUsers.Where(u => u.Running && !usable.Contains(u)))
        {
            var reason = input.ConflictingAgentUsers.ContainsKey(user.LoginName) ? "AgentUserConflict" : "CredentialsMissing";
            problems.Add((reason, ConnectorPlanner.WhyUnusable(input, user.LoginName)));
        }
        foreach (var c in connectors.Where(c => !c.Connected && c.State != "Terminating"))
            problems.Add((c.Reason ?? "Connecting", $"{c.Pod}: {c.Message ?? c.Reason ?? "not connected yet"}"));
        problems = [.. problems.OrderBy(p => Rank(p.Reason))];

        // Every agent user stopped one by one is the whole AgentConnector stopped, as the page shows it.
        var running = spec.AnyConnectorRunning() && !deleting;
        var stoppedUsers = spec.AgentUsers.Where(u => !u.Running).Select(u => u.LoginName).ToList();
        var stoppedMessage = deleting ? "the AgentConnector is being deleted"
            : !spec.Running ? "spec.running is false"
            : !running ? "every agent user is stopped (spec.agentUsers[].running is false)"
            : stoppedUsers.Count > 0 ? $"spec.running is true; stopped agent user(s): {string.Join(", ", stoppedUsers.Take(10))}"
            : "spec.running is true";
        // Offline means something is broken. Connectors still starting (a scale-up, a surge) are not an outage
        // while others serve; with none ready, or with a real failure, the connector is Offline.
        var failing = problems.Any(p => !StartingReasons.Contains(p.Reason));
        var online = running && !invalid && decision.Desired > 0 && ready >= 1 && (ready >= decision.Desired || !failing);
        status.State = !running ? ConnectorState.Stopped : online ? ConnectorState.Online : ConnectorState.Offline;

        var offlineReason = problems.Count > 0 ? problems[0].Reason : decision.Desired == 0 ? "NoAgentUsers" : "Connecting";
        var offlineMessage = $"{ready}/{decision.Desired} connectors online"
            + (problems.Count > 0 ? "; " + string.Join("; ", problems.Take(3).Select(p => p.Message)) : decision.Desired == 0 ? "; no agent user can log in" : "");

        var steady = creates.Count == 0 && deletes.Count == 0 && input.Pods.All(p => !p.Terminating)
            && live.Count == decision.Desired && updated == live.Count && ready == live.Count;
        var (reconcilingReason, reconcilingMessage) = deleting ? ("Deleting", "draining connectors before the AgentConnector is removed")
            : !running && input.Pods.Count > 0 ? ("Stopping", $"draining {input.Pods.Count} connector(s)")
            : updated < live.Count ? ("RollingUpdate", $"{updated}/{live.Count} connectors at revision {input.Revision}")
            : live.Count != decision.Desired || creates.Count > 0 || deletes.Count > 0 ? ("Scaling", $"{live.Count} connector(s), want {decision.Desired}")
            : ready < live.Count ? ("Starting", $"{ready}/{live.Count} connectors ready")
            : ("Reconciled", "all connectors match the spec");
        var stalled = invalid || (running && decision.Desired == 0 && spec.AgentUsers.Count > 0);
        var readyCondition = !running ? input.Pods.Count == 0 : online && steady && !invalid;

        var prev = previous?.Conditions;
        var warnings = WarningsFor(input, usable).ToList();
        status.Conditions =
        [
            Conditions.Make(prev, ConditionTypes.Ready, readyCondition,
                readyCondition ? (running ? "Online" : "Stopped") : !running ? "Stopping" : invalid ? "InvalidSpec" : online ? reconcilingReason : offlineReason,
                readyCondition ? (running ? $"{ready}/{decision.Desired} connectors online" : "stopped: no connector is running") : online ? reconcilingMessage : !running ? reconcilingMessage : offlineMessage,
                generation, now),
            Conditions.Make(prev, ConditionTypes.Online, online,
                online ? "Connected" : !running ? "Stopped" : offlineReason,
                online ? $"{ready}/{decision.Desired} connectors online" : !running ? $"the AgentConnector is stopped ({stoppedMessage})" : offlineMessage,
                generation, now),
            Conditions.Make(prev, ConditionTypes.Stopped, !running,
                !running ? (deleting ? "Deleting" : "Stopped") : "Running",
                stoppedMessage,
                generation, now),
            Conditions.Make(prev, ConditionTypes.Reconciling, !steady && !invalid, steady || invalid ? "Reconciled" : reconcilingReason,
                steady || invalid ? "all connectors match the spec" : reconcilingMessage, generation, now),
            Conditions.Make(prev, ConditionTypes.Stalled, stalled,
                invalid ? "InvalidSpec" : stalled ? offlineReason : "Progressing",
                invalid ? "the spec is invalid: " + string.Join("; ", input.SpecErrors) : stalled ? offlineMessage : "no permanent problem",
                generation, now),
            Conditions.Make(prev, ConditionTypes.ScalingLimited, decision.LimitReason is not null,
                decision.LimitReason ?? "WithinLimits", decision.LimitMessage ?? "the connector count follows the load", generation, now),
            Conditions.Make(prev, ConditionTypes.Warning, warnings.Count > 0,
                warnings.Count > 0 ? warnings[0].Reason : "None",
                warnings.Count > 0 ? string.Join("; ", warnings.Select(w => w.Message)) : "no warnings", generation, now),
        ];
        return status;
    }

    private static IEnumerable<(string Reason, string Message)> WarningsFor(PlanInput input, IReadOnlyList<AgentUser> usable)
    {
        foreach (var warning in input.SpecWarnings) yield return (warning.Reason, warning.ToString());
        foreach (var user in usable)
        {
            if (input.Credentials.TryGetValue(user.LoginName, out var info) && info.Kind == CredentialKind.Password)
                yield return ("PasswordLogin", $"agent user '{user.LoginName}' logs in with a password (Secret '{info.SecretName}'): password login expires and is less secure; use API-key login (appKey, appSecret, accessToken, accessTokenSecret)");
        }
    }

    /// <summary>The page's rows: one per agent user in the spec, with its toggle and what its connector is doing.</summary>
    private static List<AgentUserStatus> AgentUserRows(PlanInput input, IReadOnlyList<AgentUser> usable,
        IReadOnlyList<ConnectorInstanceStatus> connectors, IReadOnlyList<PodToCreate> creates)
    {
        var spec = input.Connector.Spec;
        var rows = new List<AgentUserStatus>(spec.AgentUsers.Count);
        foreach (var user in spec.AgentUsers)
        {
            // A live pod describes the connector better than a terminating one left over from a rollout.
            var pod = connectors.Where(c => c.AgentUser == user.LoginName).OrderBy(c => c.State == "Terminating").FirstOrDefault();
            var row = new AgentUserStatus { LoginName = user.LoginName, Running = spec.Running && user.Running, Pod = pod?.Pod };
            if (!row.Running)
            {
                row.State = pod is null ? "Stopped" : "Stopping";
                row.Reason = "Stopped";
                row.Message = !spec.Running ? "spec.running is false" : "running is false for this agent user";
            }
            else if (pod is not null)
            {
                row.State = pod.State ?? "Pending";
                row.Reason = pod.Reason;
                row.Message = pod.Message;
            }
            else if (!usable.Contains(user))
            {
                row.State = "Offline";
                row.Reason = input.ConflictingAgentUsers.ContainsKey(user.LoginName) ? "AgentUserConflict" : "CredentialsMissing";
                row.Message = ConnectorPlanner.WhyUnusable(input, user.LoginName);
            }
            else if (creates.Any(c => c.AgentUser.LoginName == user.LoginName))
            {
                row.State = "Pending";
                row.Reason = "Pending";
                row.Message = "starting its connector";
            }
            else
            {
                row.State = "Standby";
                row.Reason = "NotNeeded";
                row.Message = "ready to start; the current load needs no more connectors";
            }
            rows.Add(row);
        }
        return rows;
    }

    private static int Rank(string reason)
    {
        var i = Array.IndexOf(ReasonPriority, reason);
        return i < 0 ? ReasonPriority.Length : i;
    }

    /// <summary>One row of the Details view: the kubelet's view of the pod, refined by the connector's own report.</summary>
    internal static ConnectorInstanceStatus Describe(ObservedConnector pod, ConnectorInstanceStatus? previous)
    {
        var report = pod.Poll?.Report;
        var row = new ConnectorInstanceStatus
        {
            Pod = pod.Name,
            AgentUser = pod.AgentUser,
            Revision = pod.Revision,
            ActiveConversations = pod.ActiveConversations,
            WaitingConversations = pod.WaitingConversations,
            Restarts = pod.Restarts,
            Components = ConnectorDetails.Components(report?.Components) ?? previous?.Components,
        };
        if (pod.Terminating)
        {
            row.State = "Terminating";
            row.Reason = "Draining";
            row.Message = "handing conversations back before the pod stops";
        }
        else if (pod.ContainerProblem is { } problem)
        {
            row.State = "Offline";
            row.Reason = problem.Reason;
            row.Message = problem.Message ?? problem.Reason;
            // The container restarts, but the connector's last report usually says what went wrong (e.g. 401).
            if (report is { State: ConnectorReportState.Offline, Reason: { Length: > 0 } r }) row.Message = $"{problem.Reason}: {r}: {report.Message}";
        }
        else if (report is not null)
        {
            row.State = report.State.ToString();
            row.Connected = report.State == ConnectorReportState.Online && pod.Ready;
            // Online by its own account but not yet through the kubelet's readiness probe: still starting, not failing.
            var awaitingReadiness = report.State == ConnectorReportState.Online && !pod.Ready;
            row.Reason = row.Connected ? null
                : awaitingReadiness ? ConnectorReasons.Connecting
                : report.Reason ?? (report.State == ConnectorReportState.Starting ? ConnectorReasons.Connecting : row.State);
            row.Message = row.Connected ? null : awaitingReadiness ? "connected; waiting for the readiness probe" : report.Message;
        }
        else if (pod.Pod.Status?.Phase is null or "Pending")
        {
            row.State = "Pending";
            row.Reason = "Pending";
            row.Message = "waiting for the pod to start";
        }
        else
        {
            row.State = pod.Ready ? "Online" : "Connecting";
            row.Connected = pod.Ready;
            row.Reason = pod.Ready ? null : "Connecting";
            row.Message = pod.Ready ? null : pod.Poll?.Error is { } e ? $"status endpoint unreachable: {e}" : "logging in";
        }
        return row;
    }
}
