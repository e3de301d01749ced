namespace ConnectorOperator.Connector;

/// <summary>The conversation-taking part of a connector (Messaging or Chat).</summary>
public interface IConnectorAgent : IConversationLoad, IDisposable
{
    /// <summary>Runs until stopped, or until a requested drain has handed everything back and logged out.</summary>
    Task RunAsync(CancellationToken stoppingToken);

    /// <summary>Stop taking conversations, hand open ones back, log out; <see cref="RunAsync"/> then returns.</summary>
    void RequestDrain();
}
