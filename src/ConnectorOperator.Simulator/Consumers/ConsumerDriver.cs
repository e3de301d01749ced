using System.Collections.Concurrent;
using System.Globalization;
using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Simulator.Consumers;

/// <summary>
/// Plays many consumers at once: opens conversations on a skill, keeps writing at a rate (or follows a
/// script), measures how long each message waits for the bot's answer, and reports what got lost.
/// </summary>
public sealed class ConsumerDriver(IConsumerChannel channel, ConsumerDriverOptions options)
{
    private readonly ConcurrentDictionary<string, ConversationTracker> _trackers = new(StringComparer.Ordinal);
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>Drives a simulator in this process.</summary>
    public static async Task<ConsumerDriverReport> RunAsync(ConversationalCloudSimulator simulator, ConsumerDriverOptions options, CancellationToken ct = default)
    {
        await using var channel = new InProcessConsumerChannel(simulator);
        return await new ConsumerDriver(channel, options).RunAsync(ct);
    }

    public async Task<ConsumerDriverReport> RunAsync(CancellationToken ct = default)
    {
        options.Validate();
        var started = _time.GetTimestamp();
        await channel.StartAsync(Observe, ct);
        var sendingEnds = started + (long)(options.Duration.TotalSeconds * _time.TimestampFrequency);
        var conversations = await Task.WhenAll(Enumerable.Range(0, options.Conversations).Select(i => DriveOneAsync(i, sendingEnds, ct)));

        // Late answers still count: wait for outstanding messages up to the answer timeout.
        var graceEnds = _time.GetTimestamp() + (long)(options.AnswerTimeout.TotalSeconds * _time.TimestampFrequency);
        while (conversations.Any(c => c.Pending > 0 && !c.Finished) && _time.GetTimestamp() < graceEnds)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, ct);
        }

        // A bot answers first and acts after (an escalation follows the reply to "I need a human"), so what
        // follows the last answer gets a moment to arrive before the report is taken.
        var settleEnds = Math.Min(graceEnds, _time.GetTimestamp() + (long)(SettleTime.TotalSeconds * _time.TimestampFrequency));
        while (conversations.Any(c => !c.Finished) && _time.GetTimestamp() < settleEnds)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, ct);
        }

        if (options.CloseAtEnd)
        {
            foreach (var conversation in conversations.Where(c => !c.Closed && c.ConversationId is not null))
            {
                try
                {
                    await channel.CloseAsync(conversation.ConversationId!, ct);
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
                {
                    // Closed meanwhile by the agent: nothing to do.
                }
            }
        }

        return Report(conversations, _time.GetElapsedTime(started));
    }

    private void Observe(ConversationActivity activity)
    {
        var tracker = _trackers.GetOrAdd(activity.ConversationId, _ => new ConversationTracker());
        switch (activity.Kind)
        {
            case ConversationActivityKind.AgentMessage when activity.Sequence is { } sequence:
                tracker.OnAgentMessage(sequence, _time.GetTimestamp());
                break;
            case ConversationActivityKind.Escalated:
                tracker.OnEscalated();
                break;
            case ConversationActivityKind.Closed:
                tracker.OnClosed(byAgent: activity.AgentUser != "consumer");
                break;
        }
    }

    private async Task<ConversationTracker> DriveOneAsync(int index, long sendingEnds, CancellationToken ct)
    {
        if (options.OpenSpread > TimeSpan.Zero)
        {
            await Task.Delay(options.OpenSpread * index / options.Conversations, _time, ct);
        }

        var script = options.Script;
        var sentAt = _time.GetTimestamp();
        var id = await channel.OpenAsync(options.AccountId, options.SkillId, script?[0] ?? Text(index, 0), ct);
        var tracker = _trackers.GetOrAdd(id, _ => new ConversationTracker());
        tracker.ConversationId = id;
        tracker.OnSent(0, sentAt);

        if (script is not null)
        {
            foreach (var line in script.Skip(1))
            {
                await WaitForAnswerAsync(tracker, sendingEnds, ct);
                if (tracker.Finished || _time.GetTimestamp() >= sendingEnds)
                {
                    break;
                }

                await SendAsync(tracker, line, ct);
            }
        }
        else if (options.MessagesPerSecond > 0)
        {
            var interval = TimeSpan.FromSeconds(1 / options.MessagesPerSecond);

            // Offset each conversation inside the first interval so the load is even rather than in bursts.
            var next = sentAt + (long)(interval.TotalSeconds * _time.TimestampFrequency * (1 + (index % 10) / 10.0));
            for (var n = 1; ; n++)
            {
                var wait = (next - _time.GetTimestamp()) / (double)_time.TimestampFrequency;
                if (next >= sendingEnds)
                {
                    break;
                }

                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), _time, ct);
                }

                if (tracker.Finished)
                {
                    break;
                }

                await SendAsync(tracker, Text(index, n), ct);
                next += (long)(interval.TotalSeconds * _time.TimestampFrequency);
            }
        }

        return tracker;
    }

    private async Task SendAsync(ConversationTracker tracker, string text, CancellationToken ct)
    {
        var sentAt = _time.GetTimestamp();
        try
        {
            tracker.OnSent(await channel.SendAsync(tracker.ConversationId!, text, ct), sentAt);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
        {
            // The conversation closed under us; the report shows how it ended.
        }
    }

    private async Task WaitForAnswerAsync(ConversationTracker tracker, long sendingEnds, CancellationToken ct)
    {
        var deadline = Math.Min(sendingEnds, _time.GetTimestamp() + (long)(options.AnswerTimeout.TotalSeconds * _time.TimestampFrequency));
        while (tracker.Pending > 0 && !tracker.Finished && _time.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, ct);
        }
    }

    private static string Text(int conversation, int message) =>
        string.Create(CultureInfo.InvariantCulture, $"consumer {conversation} message {message}");

    private ConsumerDriverReport Report(ConversationTracker[] conversations, TimeSpan elapsed)
    {
        var ticksPerMs = _time.TimestampFrequency / 1000.0;
        var roundTrips = conversations.SelectMany(c => c.RoundTripTicks()).Select(t => t / ticksPerMs).Order().ToList();
        var lost = conversations.Where(c => !c.Answered && !c.Escalated && !c.ClosedByAgent).Select(c => c.ConversationId!).ToList();
        return new ConsumerDriverReport(
            conversations.Length,
            conversations.Count(c => c.Answered),
            conversations.Count(c => c.Escalated),
            conversations.Count(c => c.ClosedByAgent),
            lost.Count,
            conversations.Sum(c => c.MessagesSent),
            roundTrips.Count,
            conversations.Sum(c => c.Pending),
            Percentile(roundTrips, 0.50),
            Percentile(roundTrips, 0.95),
            Percentile(roundTrips, 0.99),
            roundTrips.Count > 0 ? roundTrips[^1] : null,
            roundTrips.Count > 0 ? roundTrips.Average() : null,
            elapsed.TotalSeconds,
            lost)
        {
            UnansweredConversationIds = [.. conversations.Where(c => c.Pending > 0 && !c.Escalated && !c.ClosedByAgent).Select(c => c.ConversationId!)],
        };
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none. The load bench reports with it too.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
