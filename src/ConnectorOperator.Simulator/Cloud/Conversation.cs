namespace ConnectorOperator.Simulator.Cloud;

/// <summary>A consumer's conversation; guarded by the engine's lock.</summary>
internal sealed class Conversation(string id, AccountRuntime account, string skillId, string consumerId, DateTimeOffset startedAt)
{
    public string Id { get; } = id;

    public AccountRuntime Account { get; } = account;

    public string SkillId { get; set; } = skillId;

    public string ConsumerId { get; set; } = consumerId;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset QueuedAt { get; set; } = startedAt;

    public ConversationState State { get; set; } = ConversationState.Queued;

    public AgentUserRuntime? AssignedAgent { get; set; }

    /// <summary>The Chat agent session holding it (Chat accounts only).</summary>
    public ChatAgentSession? ChatSession { get; set; }

    public Ring? CurrentRing { get; set; }

    /// <summary>Agents rung since it was last queued; the next ring prefers someone else.</summary>
    public HashSet<AgentUserRuntime> RungAgents { get; } = [];

    public List<ConversationEvent> Events { get; } = [];

    public HashSet<AgentConnection> Subscribers { get; } = [];

    public List<TransferRecord> Transfers { get; } = [];

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    public long NextSequence => Events.Count;
}
