using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Simulator.Inspection;

/// <summary>A consistent picture of the simulated service at one moment.</summary>
public sealed record SimulatorState(
    DateTimeOffset At,
    IReadOnlyList<SkillSnapshot> Skills,
    IReadOnlyList<AgentSnapshot> Agents,
    IReadOnlyList<SessionSnapshot> Sessions,
    IReadOnlyList<SessionConflictRecord> SessionConflicts,
    IReadOnlyList<ConversationSnapshot> Conversations,
    CountersSnapshot Counters)
{
    public ConversationSnapshot Conversation(string id) => Conversations.Single(c => c.Id == id);

    public AgentSnapshot Agent(string accountId, string loginName) =>
        Agents.Single(a => a.AccountId == accountId && a.LoginName == loginName);
}

/// <summary>A skill's queue: open conversations on it by state. A human skill has no bot users.</summary>
public sealed record SkillSnapshot(string AccountId, string SkillId, string Name, bool IsHuman, int Queued, int Ringing, int Assigned);

public sealed record AgentSnapshot(
    string AccountId,
    string LoginName,
    string UserId,
    bool IsBot,
    int MaxConversations,
    string Availability,
    string? ChatAvailability,
    string? LiveSessionId,
    int Sockets,
    IReadOnlyList<string> OpenConversations,
    IReadOnlyList<string> RingingConversations);

public sealed record SessionSnapshot(
    string SessionId,
    string AccountId,
    string LoginName,
    string LoginMethod,
    DateTimeOffset StartedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    int Refreshes);

public sealed record ConversationSnapshot(
    string Id,
    string AccountId,
    string SkillId,
    string ConsumerId,
    ConversationState State,
    string? AssignedAgent,
    string? RingingAgent,
    DateTimeOffset StartedAt,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    IReadOnlyList<MessageSnapshot> Messages,
    IReadOnlyList<EventSnapshot> OtherEvents,
    IReadOnlyList<TransferRecord> Transfers)
{
    public IEnumerable<TransferRecord> Escalations => Transfers.Where(t => t.Escalation);
}

/// <summary>A content or rich-content message; <see cref="Role"/> is CONSUMER or ASSIGNED_AGENT.</summary>
public sealed record MessageSnapshot(long Sequence, string Role, string OriginatorId, string Type, string? Text, DateTimeOffset At);

/// <summary>An accept-status, chat-state or chat-end event, with its raw JSON.</summary>
public sealed record EventSnapshot(long Sequence, string Role, string Type, DateTimeOffset At, string Json);

public sealed record CountersSnapshot(
    int Logins,
    int FailedLogins,
    int Refreshes,
    int FailedRefreshes,
    int Logouts,
    int SessionsExpired,
    int SessionConflicts,
    int SocketsOpened,
    int Requests,
    int FailedRequests,
    int ConversationsOpened,
    int ConversationsClosed,
    int Rings,
    int RingsAccepted,
    int RingsRejected,
    int RingsExpired,
    int Requeued,
    int Transfers,
    int Escalations,
    int ConsumerMessages,
    int AgentMessages,
    int AcceptStatusEvents,
    int ChatStateEvents,
    int BotCalls,
    int BotFailures);
