using System.Diagnostics.Metrics;

namespace ConnectorOperator.Connector.Health;

/// <summary>
/// The connector's instruments. One Meter per connector instance so several connectors in one test
/// process never mix their numbers.
/// </summary>
public sealed class ConnectorMetrics : IDisposable
{
    public const string MeterName = "ConnectorOperator.Connector";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _relayed;
    private readonly Counter<long> _botErrors;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _reconnects;
    private readonly Histogram<double> _botRoundTrip;

    /// <param name="conversations">The agent's conversations, read at scrape time (null before the agent exists).</param>
    public ConnectorMetrics(Func<IConversationLoad?> conversations)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        Meter = new Meter(MeterName);
        _accepted = Meter.CreateCounter<long>("connector_conversations_accepted", description: "Conversations this connector accepted");
        _relayed = Meter.CreateCounter<long>("connector_messages_relayed", description: "Messages relayed between consumers and the bot");
        _botErrors = Meter.CreateCounter<long>("connector_bot_errors", description: "Bot calls that failed");
        _escalations = Meter.CreateCounter<long>("connector_escalations", description: "Escalations to a human skill");
        _reconnects = Meter.CreateCounter<long>("connector_reconnects", description: "Reconnects to Conversational Cloud");
        _botRoundTrip = Meter.CreateHistogram<double>("connector_bot_round_trip_seconds", unit: "s", description: "Bot call round trip");
        Meter.CreateObservableGauge("connector_active_conversations", () => conversations()?.ActiveConversations ?? 0, description: "Conversations this connector holds");
        Meter.CreateObservableCounter("connector_offers_at_capacity", () => conversations()?.OfferedAtCapacity ?? 0, description: "Offers (rings, ringing chats) that arrived while this connector was full");
        Meter.CreateObservableGauge("connector_waiting_conversations", () => conversations()?.WaitingConversations ?? 0, description: "Conversations offered to this connector that it cannot take because it is full");
    }

    public Meter Meter { get; }

    public void ConversationAccepted() => _accepted.Add(1);

    public void MessageRelayed(string direction) => _relayed.Add(1, new KeyValuePair<string, object?>("direction", direction));

    public void BotError() => _botErrors.Add(1);

    public void Escalation(string outcome) => _escalations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Reconnect() => _reconnects.Add(1);

    public void BotRoundTrip(TimeSpan elapsed) => _botRoundTrip.Record(elapsed.TotalSeconds);

    public void Dispose() => Meter.Dispose();
}
