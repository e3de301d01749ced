using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// Whether a changed status must be written now or may wait for the next progress write. Now: anything the
/// planner reads back (generation, revision, serials, desired count, scale windows), any condition turning
/// (a failure, a stop, the end of a rollout), and a new failure reason. Progress while connectors start, and
/// the conversation counts and per-connector details, may wait: written together, they cost one write, not one per pod.
/// </summary>
public static class StatusChange
{
    public static bool Urgent(AgentConnectorStatus? before, AgentConnectorStatus next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (before is null) return true;
        if (before.ObservedGeneration != next.ObservedGeneration || before.Revision != next.Revision || before.NextSerial != next.NextSerial
            || before.DesiredReplicas != next.DesiredReplicas || before.Selector != next.Selector
            || !StatusComparer.SameTime(before.ScaleDownCandidateSince, next.ScaleDownCandidateSince)
            || !StatusComparer.Same(before.ScaleUpCandidate, next.ScaleUpCandidate))
            return true;
        foreach (var condition in next.Conditions ?? [])
        {
            var was = before.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
            if (was is null) return true;
            if (was.Status != condition.Status)
            {
                // Coming online while others still start, and the Reconciling summary, are progress; Ready says when it is done.
                if (condition.Type == ConditionTypes.Reconciling || (condition.Type == ConditionTypes.Online && condition.Status == "True")) continue;
                return true;
            }
            if (condition.Reason != was.Reason && IsProblem(condition)) return true;
        }
        return false;
    }

    private static bool IsProblem(Condition condition) => condition.Type switch
    {
        ConditionTypes.Online => condition.Status == "False" && !StatusBuilder.StartingReasons.Contains(condition.Reason) && condition.Reason != "Stopped",
        ConditionTypes.Stalled or ConditionTypes.Warning or ConditionTypes.ScalingLimited => condition.Status == "True",
        _ => false,
    };
}
