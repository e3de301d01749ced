using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>The connector's own component report turned into the Details the AgentConnector status shows.</summary>
internal static class ConnectorDetails
{
    /// <summary>Null when the connector sent none, so the previous Details stay.</summary>
    public static ComponentStatuses? Components(ConnectorComponents? reported) => reported is null ? null : new ComponentStatuses
    {
        ConversationalCloud = Component(reported.ConversationalCloud),
        Authentication = Component(reported.Authentication),
        Bot = Component(reported.Bot),
    };

    // Unknown is "not checked yet", never a failure: it says so rather than showing an empty message.
    private static ComponentStatus? Component(ComponentReport? reported) => reported is null ? null : new ComponentStatus
    {
        Status = reported.Status.ToString(),
        Message = reported.Message ?? (reported.Status == ComponentState.Unknown ? "not checked yet" : null),
        Since = reported.Since,
    };
}
