using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Simulator.Consumers;

/// <summary>How the consumer driver acts as consumers: in-process, or over a simulator's control API.</summary>
public interface IConsumerChannel : IAsyncDisposable
{
    /// <summary>Starts reporting every conversation activity to <paramref name="observer"/>; returns once nothing can be missed.</summary>
    Task StartAsync(Action<ConversationActivity> observer, CancellationToken ct);

    /// <summary>Opens a conversation whose first message (sequence 0) is <paramref name="firstMessage"/>.</summary>
    Task<string> OpenAsync(string accountId, string skillId, string firstMessage, CancellationToken ct);

    /// <summary>Sends a consumer message; returns its sequence.</summary>
    Task<long> SendAsync(string conversationId, string text, CancellationToken ct);

    Task CloseAsync(string conversationId, CancellationToken ct);
}
