namespace ConnectorOperator.Simulator.Consumers;

/// <summary>
/// What the consumers saw. A round trip runs from a consumer message to the first agent message after
/// it in that conversation. Lost = opened but, by the end, never answered, escalated or closed by the agent.
/// </summary>
public sealed record ConsumerDriverReport(
    int Conversations,
    int Answered,
    int Escalated,
    int ClosedByAgent,
    int Lost,
    int MessagesSent,
    int RoundTrips,
    int UnansweredMessages,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    double? MaxMs,
    double? MeanMs,
    double ElapsedSeconds,
    IReadOnlyList<string> LostConversationIds)
{
    /// <summary>
    /// Conversations whose last consumer messages got no answer and that were neither escalated nor closed by the
    /// agent: every message must get a bot answer or an escalation. Includes the lost ones.
    /// </summary>
    public IReadOnlyList<string> UnansweredConversationIds { get; init; } = [];
}
