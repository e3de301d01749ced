using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// Pure reconcile decisions: from the spec and what is observed, which connector pods to create and which to
/// drain, and the status that describes the result. No I/O; the reconciler carries the plan out.
/// </summary>
public static class ConnectorPlanner
{
    public static ConnectorPlan Plan(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var connector = input.Connector;
        var spec = connector.Spec;
        var previous = connector.Status ?? new AgentConnectorStatus();
        var live = input.Pods.Where(p => !p.Terminating).ToList();
        var terminating = input.Pods.Where(p => p.Terminating).ToList();
        var creates = new List<PodToCreate>();
        var deletes = new List<PodToDelete>();
        var events = new List<PlannedEvent>();

        // A stopped agent user (its own Start/Stop toggle) is not usable, so its connector drains like an unusable one.
        var usable = spec.AgentUsers
            .Where(u => u.Running && !input.ConflictingAgentUsers.ContainsKey(u.LoginName) && CredentialsOf(input, u).Usable)
            .ToList();
        var usableNames = usable.Select(u => u.LoginName).ToHashSet(StringComparer.Ordinal);

        if (connector.Metadata.DeletionTimestamp is not null)
        {
            foreach (var pod in live) deletes.Add(new(pod.Name, pod.AgentUser, "AgentConnector is being deleted"));
            var drained = input.Pods.Count == 0;
            var deletingStatus = StatusBuilder.Build(input, usable, new ReplicaDecision(0, 0, null, null, null), previous.NextSerial, creates, deletes);
            return new ConnectorPlan(deletingStatus, creates, deletes, events, drained ? null : TimeSpan.FromSeconds(2)) { DrainComplete = drained };
        }

        if (input.SpecErrors.Count > 0)
        {
            // Keep whatever runs: a bad edit must not take working connectors down. Create nothing new.
            var stalled = StatusBuilder.Build(input, usable, new ReplicaDecision(previous.DesiredReplicas, 0, null, null, null), previous.NextSerial, creates, deletes);
            return new ConnectorPlan(stalled, creates, deletes, [.. EventsFor(input, previous, stalled, creates, deletes, rolling: false)], null);
        }

        var demand = live.Sum(p => p.ActiveConversations + p.WaitingConversations);
        var previousDesired = previous.ObservedGeneration is null ? live.Count : previous.DesiredReplicas;
        var perConnector = ReplicaCalculator.PerConnector(spec);
        var ready = live.Where(p => p.Ready).ToList();
        // Full connectors hide the demand behind them, unless the service offers them conversations past their
        // capacity: then the waiting count is the demand and "all full" means nothing more.
        var saturated = ready.Count > 0 && ready.Count >= previousDesired && ready.All(p => p.ActiveConversations >= perConnector)
            && !live.Any(p => p.SeesDemandBeyondCapacity);
        var decision = ReplicaCalculator.Decide(spec, usable.Count, previousDesired, demand, previous.ScaleDownCandidateSince, input.Now, saturated,
            previous.ScaleUpCandidate);
        if (decision.LimitReason == "AgentUsersExhausted" && spec.AgentUsers.Count(u => !u.Running) is > 0 and var stoppedUsers)
            decision = decision with { LimitMessage = $"{decision.LimitMessage} (or start the {stoppedUsers} stopped one(s): agentUsers[].running)" };
        var desired = decision.Desired;

        // Pods that cannot be right whatever else happens: their agent user left the spec, is claimed elsewhere,
        // lost its credentials, or (defensively) is already served by an older pod.
        var keep = new List<ObservedConnector>();
        var seenUsers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in live.OrderBy(p => p.Created).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!usableNames.Contains(pod.AgentUser))
                deletes.Add(new(pod.Name, pod.AgentUser, WhyUnusable(input, pod.AgentUser)));
            else if (!seenUsers.Add(pod.AgentUser))
                deletes.Add(new(pod.Name, pod.AgentUser, $"agent user '{pod.AgentUser}' already has a connector; one session per agent user"));
            else
                keep.Add(pod);
        }

        var current = keep.Where(p => p.Revision == input.Revision).ToList();
        var outdated = keep.Where(p => p.Revision != input.Revision).ToList();
        var busyUsers = input.Pods.Select(p => p.AgentUser).ToHashSet(StringComparer.Ordinal);
        var freeUsers = usable.Where(u => !busyUsers.Contains(u.LoginName)).ToList();
        var excess = keep.Count - desired;
        var allCurrentReady = current.All(p => p.Ready);

        if (excess > 0)
        {
            // Outdated pods go first (that is also how a surged rollout finishes); ready ones only once every
            // new pod is connected, so capacity never dips. Otherwise not-ready first, then the least busy.
            var candidates = outdated.Count > 0
                ? RemovalOrder(outdated).Where(p => !p.Ready || allCurrentReady)
                : RemovalOrder(current);
            foreach (var pod in candidates.Take(excess))
            {
                deletes.Add(new(pod.Name, pod.AgentUser, outdated.Contains(pod)
                    ? $"replaced by a connector at revision {input.Revision}"
                    : $"scaling down to {desired} connector(s)"));
            }
        }
        else if (excess < 0)
        {
            foreach (var user in freeUsers.Take(-excess)) creates.Add(new(user, CredentialsOf(input, user), 0, $"scaling up to {desired} connector(s)"));
        }
        else if (outdated.Count > 0 && terminating.Count == 0)
        {
            var broken = outdated.Where(p => !p.Ready).ToList();
            if (broken.Count > 0)
            {
                // Not serving anyway: replace without waiting for a surge.
                foreach (var pod in broken) deletes.Add(new(pod.Name, pod.AgentUser, $"not ready at an old revision; replacing with revision {input.Revision}"));
            }
            else if (allCurrentReady)
            {
                if (freeUsers.Count > 0)
                    creates.Add(new(freeUsers[0], CredentialsOf(input, freeUsers[0]), 0, $"rolling to revision {input.Revision}: starting the new connector before draining an old one"));
                else
                {
                    var oldest = RemovalOrder(outdated).First();
                    deletes.Add(new(oldest.Name, oldest.AgentUser, $"rolling to revision {input.Revision}: no spare agent user, so draining before replacing"));
                }
            }
        }

        // Serials are handed out here and persisted with the status before any create.
        var nextSerial = previous.NextSerial;
        for (var i = 0; i < creates.Count; i++) creates[i] = creates[i] with { Serial = nextSerial++ };

        var status = StatusBuilder.Build(input, usable, decision, nextSerial, creates, deletes);
        events.AddRange(EventsFor(input, previous, status, creates, deletes, outdated.Count > 0));
        var busy = creates.Count > 0 || deletes.Count > 0 || terminating.Count > 0 || live.Any(p => !p.Ready) || outdated.Count > 0;
        // A steady connector is looked at again when something changes: its pods (watch) or its report (the status poller).
        TimeSpan? requeue = busy ? TimeSpan.FromSeconds(2) : null;
        // A pending window is looked at again when it ends.
        if (decision.WindowEndsAt is { } windowEnds)
            requeue = LookAgainBefore(windowEnds - input.Now, requeue ?? windowEnds - input.Now);
        return new ConnectorPlan(status, creates, deletes, events, requeue);
    }

    private static CredentialsInfo CredentialsOf(PlanInput input, AgentUser user) =>
        input.Credentials.TryGetValue(user.LoginName, out var info) ? info : CredentialsInfo.FromKeys(user.CredentialsSecretRef.Name, null);

    internal static string WhyUnusable(PlanInput input, string loginName)
    {
        var user = input.Connector.Spec.AgentUsers.FirstOrDefault(u => u.LoginName == loginName);
        if (user is { Running: false }) return $"agent user '{loginName}' is stopped (its running is false in spec.agentUsers)";
        if (input.ConflictingAgentUsers.TryGetValue(loginName, out var other))
            return $"agent user '{loginName}' belongs to AgentConnector {other}; an agent user can serve only one bot";
        if (user is null) return $"agent user '{loginName}' is no longer in spec.agentUsers";
        return CredentialsOf(input, user).Problem(loginName);
    }

    /// <summary>Not-ready first, then the fewest active conversations, then the newest.</summary>
    private static IEnumerable<ObservedConnector> RemovalOrder(IEnumerable<ObservedConnector> pods) =>
        pods.OrderBy(p => p.Ready)
            .ThenBy(p => p.ActiveConversations)
            .ThenByDescending(p => p.Created)
            .ThenByDescending(p => p.Name, StringComparer.Ordinal);

    /// <summary>The next look already planned, or sooner when a stabilization window ends first (never a busy loop).</summary>
    private static TimeSpan LookAgainBefore(TimeSpan windowEndsIn, TimeSpan planned) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, Math.Min(windowEndsIn.Ticks, planned.Ticks)));

    /// <summary>Events only for decisions and transitions, so a steady state writes none.</summary>
    private static IEnumerable<PlannedEvent> EventsFor(PlanInput input, AgentConnectorStatus previous, AgentConnectorStatus next,
        List<PodToCreate> creates, List<PodToDelete> deletes, bool rolling)
    {
        if (previous.DesiredReplicas != next.DesiredReplicas && previous.ObservedGeneration is not null)
        {
            yield return PlannedEvent.Normal(next.DesiredReplicas > previous.DesiredReplicas ? "ScaledUp" : "ScaledDown", "Scale",
                $"Scaling from {previous.DesiredReplicas} to {next.DesiredReplicas} connector(s) ({next.ActiveConversations} active conversations, {next.WaitingConversations} waiting)");
        }
        if (rolling && previous.Revision != next.Revision && previous.Revision is not null)
        {
            var why = input.Connector.Metadata.Annotation(ConnectorLabels.RestartedAt) is { } restartedAt
                ? $"Configuration changed or a restart was requested ({ConnectorLabels.RestartedAt}: {restartedAt})"
                : "Configuration changed";
            yield return PlannedEvent.Normal("RollingRestart", "Restart", $"{why} (revision {previous.Revision} → {next.Revision}); restarting connectors one at a time");
        }
        // One Event per pass and kind, not one per pod. The first start of a new AgentConnector records none: its
        // first status already says which connectors start (status.agentUsers), and a failure has its own Warning.
        if (creates.Count > 0 && previous.ObservedGeneration is not null)
        {
            yield return PlannedEvent.Normal("ConnectorCreated", "Create", $"Creating connector(s) {string.Join(", ", creates.Select(c =>
                $"{PodFactory.PodName(input.Connector.Metadata.Name!, c.Serial)} (agent user '{c.AgentUser.LoginName}')"))}: {string.Join("; ", creates.Select(c => c.Reason).Distinct())}");
        }
        if (deletes.Count > 0)
        {
            yield return PlannedEvent.Normal("ConnectorDraining", "Drain", string.Join("; ", deletes.GroupBy(d => d.Reason).Select(g =>
                $"Draining connector(s) {string.Join(", ", g.Select(d => $"{d.Name} (agent user '{d.AgentUser}')"))}: {g.Key}")));
        }
        foreach (var condition in next.Conditions ?? [])
        {
            var before = previous.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
            var changed = before is null || before.Status != condition.Status || before.Reason != condition.Reason || before.Message != condition.Message;
            if (!changed) continue;
            if (condition is { Type: ConditionTypes.Stalled, Status: "True" } or { Type: ConditionTypes.Warning, Status: "True" } or { Type: ConditionTypes.ScalingLimited, Status: "True" })
                yield return PlannedEvent.Warning(condition.Reason, "Validate", condition.Message);
            // Online after starting up is what the status says anyway; an outage, the recovery from one, and a start
            // that fails (Online stays False, its reason turns from starting to a failure) are news.
            if (condition.Type == ConditionTypes.Online && before is not null)
            {
                var startFailed = condition.Status != "True" && before.Status == condition.Status && before.Reason != condition.Reason
                    && StatusBuilder.StartingReasons.Contains(before.Reason) && !StatusBuilder.StartingReasons.Contains(condition.Reason)
                    && condition.Reason != "Stopped";
                if (before.Status != condition.Status && (condition.Status != "True" || !StatusBuilder.StartingReasons.Contains(before.Reason)))
                {
                    yield return condition.Status == "True"
                        ? PlannedEvent.Normal("Online", "StatusChange", condition.Message)
                        : PlannedEvent.Warning(condition.Reason, "StatusChange", condition.Message);
                }
                else if (startFailed)
                {
                    yield return PlannedEvent.Warning(condition.Reason, "StatusChange", condition.Message);
                }
            }
        }
    }
}
