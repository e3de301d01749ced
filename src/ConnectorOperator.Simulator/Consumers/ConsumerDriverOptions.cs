namespace ConnectorOperator.Simulator.Consumers;

/// <summary>What the consumer driver does: how many conversations, how chatty, for how long.</summary>
public sealed class ConsumerDriverOptions
{
    public string AccountId { get; set; } = "123";

    public string SkillId { get; set; } = "10";

    /// <summary>Conversations opened at the start and driven concurrently.</summary>
    public int Conversations { get; set; } = 10;

    /// <summary>Messages per conversation per second after the first; 0 sends only the first. Ignored with a script.</summary>
    public double MessagesPerSecond { get; set; } = 0.2;

    /// <summary>
    /// A fixed conversation instead of a rate: each line is sent once the previous one was answered (or
    /// <see cref="AnswerTimeout"/> passed). Null: generated messages at <see cref="MessagesPerSecond"/>.
    /// </summary>
    public IReadOnlyList<string>? Script { get; set; }

    /// <summary>How long to keep sending (rate mode) or the cap on the whole script.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a message may wait for its answer; also the grace at the end for late answers.</summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Openings are spread evenly over this time rather than all at once.</summary>
    public TimeSpan OpenSpread { get; set; } = TimeSpan.Zero;

    /// <summary>Close the conversations still open at the end (as the consumer).</summary>
    public bool CloseAtEnd { get; set; } = true;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Conversations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MessagesPerSecond);
        if (Script is { Count: 0 })
        {
            throw new ArgumentException("A script needs at least one message.", nameof(Script));
        }
    }
}
