namespace ConnectorOperator.Simulator.Cloud;

public enum ConversationState
{
    /// <summary>Waiting in its skill's queue for an agent.</summary>
    Queued,

    /// <summary>An agent is being rung.</summary>
    Ringing,

    /// <summary>An agent accepted and holds it.</summary>
    Assigned,

    Closed,
}
