using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Tests.Support;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class HealthAndMetricsTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    private HealthState NewHealth(SecretRedactor? redactor = null) =>
        new("bot1", "rev9", 50, _clock, redactor ?? new SecretRedactor()) { Conversations = new FixedLoad { ActiveConversations = 3 } };

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
        health.Conversations = new FixedLoad { WaitingConversations = 4, OfferedAtCapacity = 17 };

        var status = StatusJson(health);

        Assert.Equal(4, status["waitingConversations"]!.GetValue<int>());
        Assert.Equal(17, status["offeredAtCapacity"]!.GetValue<long>());
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
