using System.Text.Json.Nodes;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>What a relay can do to its conversation on the service side (Messaging or Chat).</summary>
public interface IConversationActions
{
    Task PublishTextAsync(string text, CancellationToken cancellationToken);

    Task PublishStructuredAsync(JsonNode content, CancellationToken cancellationToken);

    /// <summary>Acknowledges consumer messages (AcceptStatusEvent); a no-op where the channel has none.</summary>
    Task AcknowledgeAsync(string status, IReadOnlyList<long> sequences, CancellationToken cancellationToken);

    /// <summary>Moves the conversation to a skill, removing this agent. Throws when the service refuses.</summary>
    Task TransferAsync(string skillId, CancellationToken cancellationToken);

    Task CloseAsync(CancellationToken cancellationToken);
}
