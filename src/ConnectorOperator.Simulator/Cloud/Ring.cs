namespace ConnectorOperator.Simulator.Cloud;

/// <summary>An offer of one conversation to one agent, until accepted, rejected or expired.</summary>
internal sealed class Ring(string id, Conversation conversation, AgentUserRuntime agent, DateTimeOffset expiresAt, ChatAgentSession? chatSession)
{
    public string Id { get; } = id;

    public Conversation Conversation { get; } = conversation;

    public AgentUserRuntime Agent { get; } = agent;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public ChatAgentSession? ChatSession { get; } = chatSession;
}
