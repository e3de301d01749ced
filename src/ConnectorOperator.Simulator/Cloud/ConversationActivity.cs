namespace ConnectorOperator.Simulator.Cloud;

public enum ConversationActivityKind
{
    Opened,
    ConsumerMessage,
    AgentMessage,
    Assigned,
    Transferred,
    Escalated,
    Closed,
}

/// <summary>Something that happened to a conversation, as consumers and observers see it.</summary>
public sealed record ConversationActivity(
    string ConversationId,
    ConversationActivityKind Kind,
    DateTimeOffset At,
    long? Sequence = null,
    string? Text = null,
    string? SkillId = null,
    string? AgentUser = null);
