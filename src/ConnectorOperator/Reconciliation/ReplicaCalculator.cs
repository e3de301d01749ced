using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>How many connectors to run, and why not more when something caps it.</summary>
/// <param name="Desired">The count to converge to now (after the stabilization windows).</param>
/// <param name="Recommended">The count the load asks for at this moment.</param>
/// <param name="LimitReason">Set when a cap lowered the count: MaxReplicas, AgentUsersExhausted; or ProductionMinimum when raised.</param>
/// <param name="ScaleDownCandidateSince">When the load first allowed fewer connectors; null when it does not.</param>
/// <param name="ScaleUpCandidate">A scale-up the observed load asks for that is still waiting out its window.</param>
/// <param name="WindowEndsAt">When the pending scale-up or scale-down window ends, so the next look is not later.</param>
public sealed record ReplicaDecision(int Desired, int Recommended, string? LimitReason, string? LimitMessage, DateTimeOffset? ScaleDownCandidateSince,
    ScaleUpCandidate? ScaleUpCandidate = null, DateTimeOffset? WindowEndsAt = null);

/// <summary>
/// desired = spec.replicas when set; otherwise max(floor, ceil(load / conversationsPerConnector)), where the
/// floor is minReplicas (default 2 in Production, 1 in Demo) and load = max(expected, observed demand); capped by
/// maxReplicas and by the agent users that can log in.
/// Observed demand is what the connectors hold plus what the service offers them while they are full. When the
/// service never offers past a connector's capacity, demand cannot exceed what they hold, and a set of full
/// connectors (<c>saturated</c>) grows by one per pass. Scaling down keeps 10% headroom on the connectors that
/// remain, so a full set does not flap between n and n+1.
/// Timing: the floor and the planned (expected) load act at once. The observed load must ask for more for the
/// scale-up window, and then gets the fewest it asked for during it: the connectors are polled one by one, so
/// one look can count a conversation twice (held at one connector, already taken by another). Down only after
/// the scale-down window.
/// </summary>
public static class ReplicaCalculator
{
    private const int ProductionMinimum = AgentConnectorRules.MinProductionConnectors;
    public const double ScaleDownHeadroom = 0.9;

    /// <summary>Conversations one connector takes at once, within what a connector accepts.</summary>
    public static int PerConnector(AgentConnectorSpec spec) =>
        Math.Clamp(spec.Scaling?.ConversationsPerConnector ?? AgentConnectorRules.BaselineConversationsPerConnector, 1, AgentConnectorRules.MaxConversationsPerConnector);

    /// <param name="observedDemand">Conversations the connectors hold plus those offered to them while full.</param>
    /// <param name="saturated">Every desired connector is ready and full, and none can see the demand behind it.</param>
    /// <param name="scaleUpCandidate">The pending scale-up from the previous pass, if any.</param>
    public static ReplicaDecision Decide(AgentConnectorSpec spec, int usableAgentUsers, int currentReplicas,
        int observedDemand, DateTimeOffset? scaleDownCandidateSince, DateTimeOffset now, bool saturated = false,
        ScaleUpCandidate? scaleUpCandidate = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.AnyConnectorRunning()) return new ReplicaDecision(0, 0, null, null, null);

        var production = spec.Environment == DeploymentEnvironment.Production;
        var scaling = spec.Scaling ?? new ScalingSpec();
        string? limitReason = null;
        string? limitMessage = null;
        int target;
        // What the spec alone asks for: never held back by the scale-up window.
        int planned;
        var autoscaled = spec.Replicas is null;
        if (spec.Replicas is { } replicas)
        {
            target = Math.Max(0, replicas);
            if (production && target < ProductionMinimum)
            {
                limitReason = "ProductionMinimum";
                limitMessage = $"spec.replicas is {target}, but Production runs at least {ProductionMinimum} connectors for failover";
                target = ProductionMinimum;
            }
            planned = target;
        }
        else
        {
            var floor = Math.Max(0, scaling.MinReplicas ?? (production ? ProductionMinimum : 1));
            if (production) floor = Math.Max(floor, ProductionMinimum);
            var perConnector = PerConnector(spec);
            var expected = scaling.ExpectedConcurrentConversations ?? 0;
            var load = Math.Max(expected, observedDemand);
            var byLoad = (int)Math.Ceiling(load / (double)perConnector);
            if (saturated) byLoad = Math.Max(byLoad, currentReplicas + 1);
            target = Math.Max(floor, byLoad);
            planned = Math.Max(floor, (int)Math.Ceiling(expected / (double)perConnector));
            if (target < currentReplicas)
                target = Math.Min(currentReplicas, Math.Max(floor, (int)Math.Ceiling(load / (perConnector * ScaleDownHeadroom))));
            if (scaling.MaxReplicas is { } max && target > max)
            {
                limitReason = "MaxReplicas";
                limitMessage = $"{load} concurrent conversations at {perConnector} per connector need {target} connectors; scaling.maxReplicas caps it at {max}";
                target = Math.Max(max, production ? ProductionMinimum : 0);
            }
        }

        if (target > usableAgentUsers)
        {
            limitReason = "AgentUsersExhausted";
            limitMessage = $"{target} connectors wanted but only {usableAgentUsers} agent user(s) can log in: each connector needs its own bot agent user; add agent users to spec.agentUsers";
            target = usableAgentUsers;
        }
        planned = Math.Min(planned, target);

        if (!autoscaled || target == currentReplicas || (target > currentReplicas && planned >= target))
            return new ReplicaDecision(target, target, limitReason, limitMessage, null);

        if (target > currentReplicas)
        {
            // A candidate from before the count last grew says nothing about growing further.
            var pending = scaleUpCandidate is { } c && c.Replicas > currentReplicas ? c : null;
            var candidate = new ScaleUpCandidate
            {
                Since = pending?.Since ?? now,
                Replicas = Math.Min(pending?.Replicas ?? target, target),
            };
            var upEnds = candidate.Since + TimeSpan.FromSeconds(Math.Max(0, scaling.ScaleUpStabilizationSeconds));
            return now >= upEnds
                ? new ReplicaDecision(Math.Max(candidate.Replicas, planned), target, limitReason, limitMessage, null)
                : new ReplicaDecision(Math.Max(currentReplicas, planned), target, limitReason, limitMessage, null, candidate, upEnds);
        }

        // Fewer connectors would do: wait out the window so a dip in load does not churn sessions.
        var since = scaleDownCandidateSince ?? now;
        var downEnds = since + TimeSpan.FromSeconds(Math.Max(0, scaling.ScaleDownStabilizationSeconds));
        return now >= downEnds
            ? new ReplicaDecision(target, target, limitReason, limitMessage, null)
            : new ReplicaDecision(currentReplicas, target, limitReason, limitMessage, since, WindowEndsAt: downEnds);
    }
}
