using System.Collections.Concurrent;
using System.Diagnostics;
using ConnectorOperator.Simulator.Cloud;
using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.LoadBench;

/// <summary>
/// Wraps the consumers' channel to time every message to its answer, keeping a conversation's opening
/// message (routing, ring and accept included) apart from the messages of an established conversation,
/// which are the relay path the benchmark is about.
/// </summary>
internal sealed class TimedConsumerChannel(IConsumerChannel inner) : IConsumerChannel
{
    private readonly ConcurrentDictionary<string, PendingMessages> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> _openingMs = [];
    private readonly ConcurrentBag<double> _relayMs = [];

    /// <summary>Round trips of messages in established conversations, in milliseconds.</summary>
    public IReadOnlyCollection<double> RelayRoundTripsMs => _relayMs;

    /// <summary>Round trips of opening messages, in milliseconds.</summary>
    public IReadOnlyCollection<double> OpeningRoundTripsMs => _openingMs;

    public Task StartAsync(Action<ConversationActivity> observer, CancellationToken ct) =>
        inner.StartAsync(
            activity =>
            {
                if (activity.Kind == ConversationActivityKind.AgentMessage && activity.Sequence is { } sequence)
                {
                    Answered(activity.ConversationId, sequence, Stopwatch.GetTimestamp());
                }

                observer(activity);
            },
            ct);

    public async Task<string> OpenAsync(string accountId, string skillId, string firstMessage, CancellationToken ct)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var id = await inner.OpenAsync(accountId, skillId, firstMessage, ct);
        Sent(id, 0, sentAt, opening: true);
        return id;
    }

    public async Task<long> SendAsync(string conversationId, string text, CancellationToken ct)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var sequence = await inner.SendAsync(conversationId, text, ct);
        Sent(conversationId, sequence, sentAt, opening: false);
        return sequence;
    }

    public Task CloseAsync(string conversationId, CancellationToken ct) => inner.CloseAsync(conversationId, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private PendingMessages Pending(string conversationId) => _pending.GetOrAdd(conversationId, _ => new PendingMessages());

    private void Sent(string conversationId, long sequence, long sentAt, bool opening)
    {
        if (Pending(conversationId).Add(sequence, sentAt, opening) is { } answeredAt)
        {
            Record(sentAt, answeredAt, opening);
        }
    }

    private void Answered(string conversationId, long agentSequence, long at)
    {
        foreach (var (sentAt, opening) in Pending(conversationId).AnsweredBy(agentSequence, at))
        {
            Record(sentAt, at, opening);
        }
    }

    private void Record(long sentAt, long answeredAt, bool opening) =>
        (opening ? _openingMs : _relayMs).Add(Stopwatch.GetElapsedTime(sentAt, answeredAt).TotalMilliseconds);

    /// <summary>
    /// One conversation's unanswered messages. An answer could be observed before the send call returns the
    /// message's sequence; such a message is settled at once with the time that answer arrived.
    /// </summary>
    private sealed class PendingMessages
    {
        private readonly Lock _gate = new();
        private readonly List<(long Sequence, long SentAt, bool Opening)> _messages = [];
        private long _latestAgentSequence = -1;
        private long _latestAgentAt;

        /// <summary>Adds a sent message; returns when it was answered if that already happened.</summary>
        public long? Add(long sequence, long sentAt, bool opening)
        {
            lock (_gate)
            {
                if (sequence < _latestAgentSequence)
                {
                    return _latestAgentAt;
                }

                _messages.Add((sequence, sentAt, opening));
                return null;
            }
        }

        public List<(long SentAt, bool Opening)> AnsweredBy(long agentSequence, long at)
        {
            lock (_gate)
            {
                if (agentSequence > _latestAgentSequence)
                {
                    _latestAgentSequence = agentSequence;
                    _latestAgentAt = at;
                }

                var answered = _messages.Where(m => m.Sequence < agentSequence).Select(m => (m.SentAt, m.Opening)).ToList();
                _messages.RemoveAll(m => m.Sequence < agentSequence);
                return answered;
            }
        }
    }
}
