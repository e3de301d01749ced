namespace ConnectorOperator.Connector;

/// <summary>The conversation-taking part of a connector (Messaging or Chat).</summary>
public interface IConnectorAgent : IDisposable
{
    int ActiveConversations { get; }

    /// <summary>Conversations the service offers right now that this connector cannot take because it is full.</summary>
    int WaitingConversations { get; }

    /// <summary>Offers that arrived while this connector was full, since it started.</summary>
    long OfferedAtCapacity { get; }

    /// <summary>Runs until stopped, or until a requested drain has handed everything back and logged out.</summary>
    Task RunAsync(CancellationToken stoppingToken);

    /// <summary>Stop taking conversations, hand open ones back, log out; <see cref="RunAsync"/> then returns.</summary>
    void RequestDrain();
}
