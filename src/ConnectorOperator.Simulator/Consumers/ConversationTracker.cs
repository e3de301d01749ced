namespace ConnectorOperator.Simulator.Consumers;

/// <summary>
/// One driven conversation's bookkeeping. Activity may arrive before the send that caused it returns
/// (the answer can outrun the HTTP response), so sends and answers are matched by sequence either way round.
/// </summary>
internal sealed class ConversationTracker
{
    private readonly Lock _gate = new();
    private readonly List<(long Sequence, long SentAt)> _pending = [];
    private readonly List<(long Sequence, long At)> _answers = [];
    private readonly List<long> _roundTripTicks = [];

    public string? ConversationId { get; set; }

    public bool Answered { get; private set; }

    public bool Escalated { get; private set; }

    public bool ClosedByAgent { get; private set; }

    public bool Closed { get; private set; }

    /// <summary>The bot is done with it: no more messages make sense.</summary>
    public bool Finished => Escalated || Closed;

    public int MessagesSent { get; private set; }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void OnSent(long sequence, long sentAt)
    {
        lock (_gate)
        {
            MessagesSent++;
            var answer = _answers.Where(a => a.Sequence > sequence).OrderBy(a => a.Sequence).FirstOrDefault();
            if (answer != default)
            {
                _roundTripTicks.Add(Math.Max(0, answer.At - sentAt));
            }
            else
            {
                _pending.Add((sequence, sentAt));
            }
        }
    }

    public void OnAgentMessage(long sequence, long at)
    {
        lock (_gate)
        {
            Answered = true;
            _answers.Add((sequence, at));
            foreach (var pending in _pending.Where(p => p.Sequence < sequence).ToList())
            {
                _roundTripTicks.Add(Math.Max(0, at - pending.SentAt));
                _pending.Remove(pending);
            }
        }
    }

    public void OnEscalated()
    {
        lock (_gate)
        {
            Escalated = true;
        }
    }

    public void OnClosed(bool byAgent)
    {
        lock (_gate)
        {
            Closed = true;
            ClosedByAgent |= byAgent;
        }
    }

    public IReadOnlyList<long> RoundTripTicks()
    {
        lock (_gate)
        {
            return [.. _roundTripTicks];
        }
    }
}
