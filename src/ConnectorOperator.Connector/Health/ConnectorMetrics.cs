using ConnectorOperator.Contracts;
using Prometheus;

namespace ConnectorOperator.Connector.Health;

/// <summary>
/// The connector's Prometheus instruments (prometheus-net's own, so counters export as counters). Each
/// connector has its own <see cref="CollectorRegistry"/>, so several connectors in one test process never mix
/// their numbers. Labels take only small fixed sets of values: never a conversation id, consumer id or login name.
/// </summary>
public sealed class ConnectorMetrics
{
    /// <summary>Seconds; a bot call is usually tens of milliseconds and times out after tens of seconds.</summary>
    private static readonly double[] BotBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _accepted;
    private readonly Counter _relayed;
    private readonly Counter _botErrors;
    private readonly Counter _escalations;
    private readonly Counter _reconnects;
    private readonly Counter _logins;
    private readonly Counter _refreshes;
    private readonly Histogram _botRoundTrip;

    /// <param name="conversations">The agent's conversations, read at scrape time (null before the agent exists).</param>
    /// <param name="health">Component states and capacity, read at scrape time; null leaves those series out (unit tests).</param>
    public ConnectorMetrics(Func<IConversationLoad?> conversations, HealthState? health = null)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _accepted = factory.CreateCounter("connector_conversations_accepted_total", "Conversations this connector accepted");
        _relayed = factory.CreateCounter("connector_messages_relayed_total", "Messages relayed between consumers and the bot, by direction (toBot, toConsumer)", "direction");
        _botErrors = factory.CreateCounter("connector_bot_errors_total", "Bot calls that failed (unreachable, timed out, non-2xx, invalid JSON)");
        _escalations = factory.CreateCounter("connector_escalations_total", "Escalations to a human skill, by result (transferred, failed)", "result");
        _reconnects = factory.CreateCounter("connector_reconnects_total", "Reconnects to Conversational Cloud, by the offline reason that caused them", "cause");
        _logins = factory.CreateCounter("connector_logins_total", "Agent logins, by result (ok, unauthorized, failed)", "result");
        _refreshes = factory.CreateCounter("connector_session_refreshes_total", "Agent session refreshes, by result (ok, unauthorized, failed)", "result");
        _botRoundTrip = factory.CreateHistogram("connector_bot_round_trip_seconds", "Bot call round trip",
            new HistogramConfiguration { Buckets = BotBuckets });
        var active = factory.CreateGauge("connector_active_conversations", "Conversations this connector holds");
        var waiting = factory.CreateGauge("connector_waiting_conversations", "Conversations offered to this connector that it cannot take because it is full");
        var offered = factory.CreateCounter("connector_offers_at_capacity_total", "Offers (rings, ringing chats) that arrived while this connector was full");
        var capacity = health is null ? null : factory.CreateGauge("connector_capacity", "Conversations this connector takes at most");
        var component = health is null ? null : factory.CreateGauge("connector_component_up", "1 when the component is connected, 0 otherwise (conversationalCloud, authentication, bot)", "component");
        Registry.AddBeforeCollectCallback(() =>
        {
            var load = conversations();
            active.Set(load?.ActiveConversations ?? 0);
            waiting.Set(load?.WaitingConversations ?? 0);
            offered.IncTo(load?.OfferedAtCapacity ?? 0);
            if (health is null)
            {
                return;
            }

            capacity!.Set(health.Capacity);
            foreach (var part in Enum.GetValues<HealthComponent>())
            {
                component!.WithLabels(HealthState.Name(part)).Set(health.StatusOf(part) == ComponentState.Connected ? 1 : 0);
            }
        });
    }

    /// <summary>This connector's series; <c>/metrics</c> exports it.</summary>
    public CollectorRegistry Registry { get; }

    public void ConversationAccepted() => _accepted.Inc();

    public void MessageRelayed(string direction) => _relayed.WithLabels(direction).Inc();

    public void BotError() => _botErrors.Inc();

    public void Escalation(string result) => _escalations.WithLabels(result).Inc();

    /// <summary><paramref name="cause"/> is a contract offline reason (ConnectionFailed, Unauthorized, ...).</summary>
    public void Reconnect(string cause) => _reconnects.WithLabels(cause).Inc();

    public void BotRoundTrip(TimeSpan elapsed) => _botRoundTrip.Observe(elapsed.TotalSeconds);

    /// <summary>Counts a login by how it ended; the login's own outcome (session or exception) passes through.</summary>
    public Task<T> Login<T>(Task<T> login) => Count(_logins, login);

    /// <summary>Counts a session refresh by how it ended.</summary>
    public async Task Refresh(Task refresh) => await Count(_refreshes, Done(refresh));

    /// <summary>The text exposition, as <c>/metrics</c> serves it.</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static async Task<T> Count<T>(Counter counter, Task<T> call)
    {
        try
        {
            var result = await call;
            counter.WithLabels("ok").Inc();
            return result;
        }
        catch (Cloud.CloudFailureException ex)
        {
            counter.WithLabels(ex.Reason == ConnectorReasons.Unauthorized ? "unauthorized" : "failed").Inc();
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
        {
            counter.WithLabels("failed").Inc();
            throw;
        }
    }

    private static async Task<bool> Done(Task task)
    {
        await task;
        return true;
    }
}
