using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Simulator.Consumers;

/// <summary>Consumers of a simulator running in this process.</summary>
public sealed class InProcessConsumerChannel(ConversationalCloudSimulator simulator) : IConsumerChannel
{
    private Action<ConversationActivity>? _observer;

    public Task StartAsync(Action<ConversationActivity> observer, CancellationToken ct)
    {
        _observer = observer;
        simulator.ConversationActivity += observer;
        return Task.CompletedTask;
    }

    public Task<string> OpenAsync(string accountId, string skillId, string firstMessage, CancellationToken ct) =>
        Task.FromResult(simulator.OpenConversation(accountId, skillId, firstMessage));

    public Task<long> SendAsync(string conversationId, string text, CancellationToken ct) =>
        Task.FromResult(simulator.SendConsumerMessage(conversationId, text));

    public Task CloseAsync(string conversationId, CancellationToken ct)
    {
        simulator.CloseConversationByConsumer(conversationId);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (_observer is not null)
        {
            simulator.ConversationActivity -= _observer;
        }

        return ValueTask.CompletedTask;
    }
}
