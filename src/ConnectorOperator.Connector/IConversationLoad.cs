namespace ConnectorOperator.Connector;

/// <summary>The conversations a connector holds and the ones it is offered but cannot take: what /status and /metrics report.</summary>
public interface IConversationLoad
{
    int ActiveConversations { get; }

    /// <summary>Conversations the service offers right now that this connector cannot take because it is full.</summary>
    int WaitingConversations { get; }

    /// <summary>Offers that arrived while this connector was full, since it started.</summary>
    long OfferedAtCapacity { get; }
}
