using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Messaging;

namespace ConnectorOperator.Connector.Tests.Support;

/// <summary>A bot whose answers the test scripts; records every event it got.</summary>
public sealed class FakeBot : IBotClient
{
    public ConcurrentQueue<BotEvent> Events { get; } = new();

    public Func<BotEvent, BotAnswer> Answer { get; set; } = e => Reply($"echo {e.Text}");

    public IReadOnlyList<BotEvent> OfType(string type) => Events.Where(e => e.Type == type).ToList();

    public Task<BotAnswer> SendAsync(BotEvent botEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(botEvent);
        return Task.FromResult(Answer(botEvent));
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static BotAnswer Reply(string text) => new([new BotReply(text, null)], null, true);
}

/// <summary>Records what the relay did to its conversation; transfers can be made to fail.</summary>
public sealed class FakeActions : IConversationActions
{
    public ConcurrentQueue<string> Published { get; } = new();

    public ConcurrentQueue<JsonNode> Structured { get; } = new();

    public ConcurrentQueue<(string Status, long[] Sequences)> Acks { get; } = new();

    public ConcurrentQueue<string> TransferAttempts { get; } = new();

    public bool FailTransfers { get; set; }

    private int _closes;

    public int Closes => Volatile.Read(ref _closes);

    public Task PublishTextAsync(string text, CancellationToken cancellationToken)
    {
        Published.Enqueue(text);
        return Task.CompletedTask;
    }

    public Task PublishStructuredAsync(JsonNode content, CancellationToken cancellationToken)
    {
        Structured.Enqueue(content);
        return Task.CompletedTask;
    }

    public Task AcknowledgeAsync(string status, IReadOnlyList<long> sequences, CancellationToken cancellationToken)
    {
        Acks.Enqueue((status, sequences.ToArray()));
        return Task.CompletedTask;
    }

    public Task TransferAsync(string skillId, CancellationToken cancellationToken)
    {
        TransferAttempts.Enqueue(skillId);
        return FailTransfers ? Task.FromException(new InvalidOperationException("skill has no capacity")) : Task.CompletedTask;
    }

    public Task CloseAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _closes);
        return Task.CompletedTask;
    }
}
