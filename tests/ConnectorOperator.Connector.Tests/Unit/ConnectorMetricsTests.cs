using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.TestSupport.Tools;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class ConnectorMetricsTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Counters_histogram_and_gauges_move_with_what_the_connector_does()
    {
        var load = new FixedLoad { ActiveConversations = 2 };
        var metrics = new ConnectorMetrics(() => load);

        metrics.ConversationAccepted();
        metrics.ConversationAccepted();
        metrics.MessageRelayed("toBot");
        metrics.Escalation("failed");
        metrics.Reconnect(ConnectorReasons.ConnectionFailed);
        metrics.BotRoundTrip(TimeSpan.FromMilliseconds(30));
        metrics.BotRoundTrip(TimeSpan.FromSeconds(20));
        var text = new PrometheusText(await metrics.ScrapeAsync());

        Assert.Equal("counter", text.Types["connector_conversations_accepted_total"]);
        Assert.Equal(2, text.Value("connector_conversations_accepted_total"));
        Assert.Equal(1, text.Value("connector_messages_relayed_total{direction=\"toBot\"}"));
        Assert.Equal(1, text.Value("connector_escalations_total{result=\"failed\"}"));
        Assert.Equal(1, text.Value("connector_reconnects_total{cause=\"ConnectionFailed\"}"));
        Assert.Equal("histogram", text.Types["connector_bot_round_trip_seconds"]);
        Assert.Equal(0, text.Value("connector_bot_round_trip_seconds_bucket{le=\"0.025\"}"));
        Assert.Equal(1, text.Value("connector_bot_round_trip_seconds_bucket{le=\"0.05\"}"));
        Assert.Equal(1, text.Value("connector_bot_round_trip_seconds_bucket{le=\"10\"}"));
        Assert.Equal(2, text.Value("connector_bot_round_trip_seconds_bucket{le=\"+Inf\"}"));
        Assert.Equal(2, text.Value("connector_bot_round_trip_seconds_count"));
        Assert.Equal("gauge", text.Types["connector_active_conversations"]);
        Assert.Equal(2, text.Value("connector_active_conversations"));

        load.ActiveConversations = 5;
        load.WaitingConversations = 3;
        load.OfferedAtCapacity = 4;
        text = new PrometheusText(await metrics.ScrapeAsync());
        Assert.Equal(5, text.Value("connector_active_conversations"));
        Assert.Equal(3, text.Value("connector_waiting_conversations"));
        Assert.Equal("counter", text.Types["connector_offers_at_capacity_total"]);
        Assert.Equal(4, text.Value("connector_offers_at_capacity_total"));
    }

    [Fact]
    public async Task Capacity_and_component_states_come_from_the_health_state()
    {
        var health = new HealthState("bot1", "rev9", 50, _clock, new SecretRedactor());
        var metrics = new ConnectorMetrics(() => null, health);
        health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.Connected, "socket up");
        health.SetComponent(HealthComponent.Bot, ComponentState.NotConnected, "bot answered 503");

        var text = new PrometheusText(await metrics.ScrapeAsync());

        Assert.Equal(50, text.Value("connector_capacity"));
        Assert.Equal(1, text.Value("connector_component_up{component=\"conversationalCloud\"}"));
        Assert.Equal(0, text.Value("connector_component_up{component=\"authentication\"}"));
        Assert.Equal(0, text.Value("connector_component_up{component=\"bot\"}"));
    }

    [Fact]
    public async Task Logins_and_refreshes_are_counted_by_result_and_their_outcome_passes_through()
    {
        var metrics = new ConnectorMetrics(() => null);

        Assert.Equal(7, await metrics.Login(Task.FromResult(7)));
        await Assert.ThrowsAsync<CloudFailureException>(() => metrics.Login(Task.FromException<int>(new CloudFailureException(ConnectorReasons.Unauthorized, "refused", 401))));
        await metrics.Refresh(Task.CompletedTask);
        await Assert.ThrowsAsync<HttpRequestException>(() => metrics.Refresh(Task.FromException(new HttpRequestException("reset"))));
        var text = new PrometheusText(await metrics.ScrapeAsync());

        Assert.Equal(1, text.Value("connector_logins_total{result=\"ok\"}"));
        Assert.Equal(1, text.Value("connector_logins_total{result=\"unauthorized\"}"));
        Assert.Equal(1, text.Value("connector_session_refreshes_total{result=\"ok\"}"));
        Assert.Equal(1, text.Value("connector_session_refreshes_total{result=\"failed\"}"));
    }

    [Fact]
    public async Task Two_connectors_in_one_process_keep_their_metrics_apart()
    {
        var first = new ConnectorMetrics(() => null);
        var second = new ConnectorMetrics(() => null);

        first.Reconnect(ConnectorReasons.ConnectionFailed);

        Assert.Equal(1, new PrometheusText(await first.ScrapeAsync()).Sum("connector_reconnects_total"));
        Assert.Equal(0, new PrometheusText(await second.ScrapeAsync()).Sum("connector_reconnects_total"));
    }

    [PromtoolFact]
    public async Task Exposition_passes_promtool_check_metrics()
    {
        var health = new HealthState("bot1", "rev9", 50, _clock, new SecretRedactor());
        var metrics = new ConnectorMetrics(() => new FixedLoad { ActiveConversations = 1 }, health);
        Prometheus.DotNetStats.Register(metrics.Registry);
        metrics.MessageRelayed("toConsumer");
        metrics.BotRoundTrip(TimeSpan.FromMilliseconds(12));
        await metrics.Login(Task.FromResult(1));

        Promtool.AssertCleanMetrics(await metrics.ScrapeAsync());
    }
}
