using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// Status equality as the API server would store it (times in whole seconds, nulls and empty lists alike): a write
/// that changes nothing is skipped. Field by field, so a steady reconcile allocates nothing to find out.
/// </summary>
public static class StatusComparer
{
    public static bool Same(AgentConnectorStatus? a, AgentConnectorStatus? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return a.ObservedGeneration == b.ObservedGeneration
            && a.State == b.State
            && a.Replicas == b.Replicas
            && a.ReadyReplicas == b.ReadyReplicas
            && a.UpdatedReplicas == b.UpdatedReplicas
            && a.DesiredReplicas == b.DesiredReplicas
            && a.Selector == b.Selector
            && a.ActiveConversations == b.ActiveConversations
            && a.WaitingConversations == b.WaitingConversations
            && a.Capacity == b.Capacity
            && a.Revision == b.Revision
            && a.NextSerial == b.NextSerial
            && SameTime(a.ScaleDownCandidateSince, b.ScaleDownCandidateSince)
            && Same(a.ScaleUpCandidate, b.ScaleUpCandidate)
            && SameList(a.Conditions, b.Conditions, Same)
            && SameList(a.Connectors, b.Connectors, Same)
            && SameList(a.AgentUsers, b.AgentUsers, Same);
    }

    internal static bool Same(ScaleUpCandidate? a, ScaleUpCandidate? b) =>
        a is null || b is null ? a is null && b is null : SameTime(a.Since, b.Since) && a.Replicas == b.Replicas;

    private static bool Same(Condition a, Condition b) =>
        a.Type == b.Type && a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message
        && a.ObservedGeneration == b.ObservedGeneration && SameTime(a.LastTransitionTime, b.LastTransitionTime);

    private static bool Same(ConnectorInstanceStatus a, ConnectorInstanceStatus b) =>
        a.Pod == b.Pod && a.AgentUser == b.AgentUser && a.Revision == b.Revision && a.Connected == b.Connected
        && a.ActiveConversations == b.ActiveConversations && a.WaitingConversations == b.WaitingConversations
        && a.Restarts == b.Restarts && a.State == b.State && a.Reason == b.Reason && a.Message == b.Message
        && Same(a.Components, b.Components);

    private static bool Same(AgentUserStatus a, AgentUserStatus b) =>
        a.LoginName == b.LoginName && a.Running == b.Running && a.State == b.State && a.Pod == b.Pod && a.Reason == b.Reason && a.Message == b.Message;

    internal static bool Same(ComponentStatuses? a, ComponentStatuses? b) =>
        a is null || b is null ? a is null && b is null
            : Same(a.ConversationalCloud, b.ConversationalCloud) && Same(a.Authentication, b.Authentication) && Same(a.Bot, b.Bot);

    private static bool Same(ComponentStatus? a, ComponentStatus? b) =>
        a is null || b is null ? a is null && b is null : a.Status == b.Status && a.Message == b.Message && SameTime(a.Since, b.Since);

    /// <summary>The API stores whole seconds (<see cref="TimeConverter"/>).</summary>
    internal static bool SameTime(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null || b is null ? a is null && b is null : a.Value.ToUnixTimeSeconds() == b.Value.ToUnixTimeSeconds();

    private static bool SameList<T>(List<T>? a, List<T>? b, Func<T, T, bool> same)
    {
        if (a is null || a.Count == 0) return b is null || b.Count == 0;
        if (b is null || a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!same(a[i], b[i])) return false;
        }
        return true;
    }
}
