using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Tests.Support;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class HealthAndMetricsTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Conversation numbers a test sets directly.</summary>
    private sealed class Load : IConversationLoad
    {
        public int ActiveConversations { get; set; }

        public int WaitingConversations { get; set; }

        public long OfferedAtCapacity { get; set; }
    }

    private HealthState NewHealth(SecretRedactor? redactor = null) =>
        new("bot1", "rev9", 50, _clock, redactor ?? new SecretRedactor()) { Conversations = new Load { ActiveConversations = 3 } };

    /// <summary>The snapshot as GET /status writes it.</summary>
    private static JsonObject StatusJson(HealthState health) =>
        JsonNode.Parse(JsonSerializer.Serialize(health.Snapshot(), ConnectorStatusJsonContext.Default.ConnectorStatusReport))!.AsObject();

    [Fact]
    public void Status_has_the_contract_shape()
    {
        var health = NewHealth();
        health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.Connected, "socket up");
        health.SetComponent(HealthComponent.Authentication, ComponentState.Connected, "logged in");
        health.SetOnline("online");
        _clock.Advance(TimeSpan.FromSeconds(1));
        health.SetComponent(HealthComponent.Bot, ComponentState.Connected, "the bot answered its health probe");

        var status = StatusJson(health);

        Assert.Equal(
            ["state", "reason", "message", "agentUser", "revision", "activeConversations", "capacity", "waitingConversations", "offeredAtCapacity", "draining", "components", "lastError"],
            status.Select(p => p.Key));
        Assert.Equal("Online", status["state"]!.GetValue<string>());
        Assert.Equal("Connected", status["reason"]!.GetValue<string>());
        Assert.Equal("rev9", status["revision"]!.GetValue<string>());
        Assert.Equal(3, status["activeConversations"]!.GetValue<int>());
        Assert.Equal(0, status["waitingConversations"]!.GetValue<int>());
        Assert.Equal(0, status["offeredAtCapacity"]!.GetValue<long>());
        var components = status["components"]!.AsObject();
        Assert.Equal(["conversationalCloud", "authentication", "bot"], components.Select(c => c.Key));
        Assert.Equal("Connected", components["bot"]!["status"]!.GetValue<string>());
        Assert.Equal("2026-11-21T10:00:00Z", components["conversationalCloud"]!["since"]!.GetValue<string>());
        Assert.Equal("2026-11-21T10:00:01Z", components["bot"]!["since"]!.GetValue<string>());
        Assert.Null(status["lastError"]);
    }

    [Fact]
    public void Status_reports_the_demand_the_agent_could_not_take()
    {
        var health = NewHealth();
        health.Conversations = new Load { WaitingConversations = 4, OfferedAtCapacity = 17 };

        var status = StatusJson(health);

        Assert.Equal(4, status["waitingConversations"]!.GetValue<int>());
        Assert.Equal(17, status["offeredAtCapacity"]!.GetValue<long>());
    }

    [Fact]
    public void Prometheus_text_has_the_waiting_gauge_and_the_offers_at_capacity_counter()
    {
        var load = new Load { ActiveConversations = 50 };
        using var metrics = new ConnectorMetrics(() => load);
        using var exporter = new PrometheusExporter(metrics.Meter);
        Assert.Contains("connector_offers_at_capacity_total 0\n", exporter.Scrape(), StringComparison.Ordinal);

        load.WaitingConversations = 3;
        load.OfferedAtCapacity = 3;
        var text = exporter.Scrape();

        Assert.Contains("# TYPE connector_waiting_conversations gauge\nconnector_waiting_conversations 3\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE connector_offers_at_capacity_total counter\nconnector_offers_at_capacity_total 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Starting_until_the_first_failure_then_offline_with_its_reason()
    {
        var health = NewHealth();
        Assert.Equal((ConnectorReportState.Starting, ConnectorReasons.Connecting), health.CurrentState());

        health.SetOffline(ConnectorReasons.Unauthorized, "login refused");

        Assert.Equal((ConnectorReportState.Offline, ConnectorReasons.Unauthorized), health.CurrentState());
        Assert.Equal("Unauthorized", StatusJson(health)["lastError"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Failing_bot_makes_an_online_session_offline_bot_unreachable_and_not_ready()
    {
        var health = NewHealth();
        health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.Connected, "up");
        health.SetComponent(HealthComponent.Authentication, ComponentState.Connected, "up");
        health.SetOnline("online");
        health.SetComponent(HealthComponent.Bot, ComponentState.Connected, "bot answered");
        Assert.Empty(health.ReadinessProblems());

        health.SetComponent(HealthComponent.Bot, ComponentState.NotConnected, "bot answered 503");

        Assert.Equal((ConnectorReportState.Offline, ConnectorReasons.BotUnreachable), health.CurrentState());
        Assert.Contains(health.ReadinessProblems(), p => p.Contains("bot answered 503", StringComparison.Ordinal));
    }

    [Fact]
    public void A_connected_session_is_not_online_nor_ready_until_the_bot_first_answered()
    {
        var health = NewHealth();
        health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.Connected, "up");
        health.SetComponent(HealthComponent.Authentication, ComponentState.Connected, "up");
        health.SetOnline("online");

        Assert.Equal((ConnectorReportState.Starting, ConnectorReasons.Connecting), health.CurrentState());
        Assert.Equal("Unknown", StatusJson(health)["components"]!["bot"]!["status"]!.GetValue<string>());
        Assert.Contains(health.ReadinessProblems(), p => p.StartsWith("bot is Unknown", StringComparison.Ordinal));

        health.SetComponent(HealthComponent.Bot, ComponentState.Connected, "the bot answered its health probe");

        Assert.Equal((ConnectorReportState.Online, ConnectorReasons.Connected), health.CurrentState());
        Assert.Empty(health.ReadinessProblems());
    }

    [Fact]
    public void Draining_wins_over_everything()
    {
        var health = NewHealth();
        health.SetOnline("online");
        health.SetDraining();

        Assert.Equal(ConnectorReportState.Draining, health.CurrentState().State);
        Assert.Contains("draining", health.ReadinessProblems());
    }

    [Fact]
    public void Secrets_are_redacted_from_status_messages()
    {
        var health = NewHealth(new SecretRedactor(["s3cr3t-token"]));

        health.SetOffline(ConnectorReasons.ConnectionFailed, "connect to ws://host/brand/s3cr3t-token failed");

        var text = StatusJson(health).ToJsonString();
        Assert.DoesNotContain("s3cr3t-token", text, StringComparison.Ordinal);
        Assert.Contains("brand/***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_fails_when_the_loops_stop_beating()
    {
        var health = new HealthState("bot1", "", 1, _clock, new SecretRedactor()) { StuckAfter = TimeSpan.FromMinutes(1) };
        Assert.True(health.IsAlive());

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(health.IsAlive());

        health.Beat();
        Assert.True(health.IsAlive());
    }

    [Fact]
    public void Prometheus_text_has_counters_histogram_and_gauge()
    {
        var load = new Load { ActiveConversations = 2 };
        using var metrics = new ConnectorMetrics(() => load);
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.ConversationAccepted();
        metrics.ConversationAccepted();
        metrics.MessageRelayed("toBot");
        metrics.Escalation("failed");
        metrics.BotRoundTrip(TimeSpan.FromMilliseconds(30));
        metrics.BotRoundTrip(TimeSpan.FromSeconds(20));
        var text = exporter.Scrape();

        Assert.Contains("# TYPE connector_conversations_accepted_total counter\nconnector_conversations_accepted_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_messages_relayed_total{direction=\"toBot\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_escalations_total{outcome=\"failed\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_reconnects_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE connector_bot_round_trip_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_bot_round_trip_seconds_bucket{le=\"0.025\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_bot_round_trip_seconds_bucket{le=\"0.05\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_bot_round_trip_seconds_bucket{le=\"10\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_bot_round_trip_seconds_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("connector_bot_round_trip_seconds_count 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE connector_active_conversations gauge\nconnector_active_conversations 2\n", text, StringComparison.Ordinal);

        load.ActiveConversations = 5;
        Assert.Contains("connector_active_conversations 5\n", exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_connectors_in_one_process_keep_their_metrics_apart()
    {
        using var first = new ConnectorMetrics(() => null);
        using var second = new ConnectorMetrics(() => null);
        using var firstExporter = new PrometheusExporter(first.Meter);
        using var secondExporter = new PrometheusExporter(second.Meter);

        first.Reconnect();

        Assert.Contains("connector_reconnects_total 1\n", firstExporter.Scrape(), StringComparison.Ordinal);
        Assert.Contains("connector_reconnects_total 0\n", secondExporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_up_to_the_cap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(7));
        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next().TotalSeconds).ToList();

        Assert.InRange(delays[0], 0.8, 1.2);
        Assert.InRange(delays[1], 1.6, 2.4);
        Assert.InRange(delays[3], 6.4, 9.6);
        Assert.All(delays, d => Assert.InRange(d, 0.8, 60));
        Assert.InRange(delays[9], 48, 60);

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.8, 1.2);
    }
}
