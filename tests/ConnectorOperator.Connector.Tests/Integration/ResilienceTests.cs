using System.Net;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;
using ConnectorOperator.TestSupport.Tools;

namespace ConnectorOperator.Connector.Tests.Integration;

public sealed class ResilienceTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync() => _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private IReadOnlyList<string> AgentLines(string conversationId) =>
        _sim.GetState().Conversation(conversationId).Messages.Where(m => m.Role != "CONSUMER").Select(m => m.Text ?? "").ToList();

    [Fact]
    public async Task Dropped_socket_reconnects_and_the_conversation_continues()
    {
        await using var connector = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot1"), _logs);
        await connector.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10", "before");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: before"), "first answer");

        Assert.True(_sim.DropSockets("123", "bot1") > 0);
        await Eventually.TrueAsync(() => _sim.GetState().Counters.SocketsOpened >= 2 && _sim.GetState().Agent("123", "bot1").Sockets == 1, "socket reopened");
        await connector.WaitOnlineAsync();
        _sim.SendConsumerMessage(conversation, "after");

        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: after"), "answer after reconnect");
        Assert.Single(AgentLines(conversation), l => l == "You said: before");
        Assert.Equal(1, _sim.GetState().Counters.Logins);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(connector.HealthAddress, "metrics"));
        Assert.Equal(1, new PrometheusText(metrics).Sum("connector_reconnects_total"));
    }

    [Fact]
    public async Task Refused_refresh_logs_in_again_and_reconnects()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_TIMING_REFRESH_MS"] = "300";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();
        await Eventually.TrueAsync(() => _sim.GetState().Counters.Refreshes >= 1, "a refresh");

        _sim.Faults.FailNextRefresh("123", "bot1");

        await Eventually.TrueAsync(() => _sim.GetState().Counters.Logins >= 2, "second login");
        await connector.WaitOnlineAsync();
        var conversation = _sim.OpenConversation("123", "10", "still working?");
        await Eventually.TrueAsync(() => AgentLines(conversation).Contains("You said: still working?"), "answer after re-login");
        var status = await connector.StatusAsync();
        Assert.Equal("Unauthorized", status["lastError"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_credentials_show_offline_unauthorized_without_the_credential()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["LP_ACCESS_TOKEN_SECRET"] = "wrong-token-secret-value";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);

        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["reason"]!.GetValue<string>() == "Unauthorized", "Unauthorized");
        var status = await connector.StatusAsync();
        Assert.Equal("Offline", status["state"]!.GetValue<string>());
        var message = status["message"]!.GetValue<string>();
        Assert.Contains("login for agent user 'bot1' was refused (401)", message, StringComparison.Ordinal);
        Assert.Contains("check the credentials Secret", message, StringComparison.Ordinal);
        Assert.Equal("NotConnected", status["components"]!["authentication"]!["status"]!.GetValue<string>());
        using var http = new HttpClient();
        var ready = await http.GetAsync(new Uri(connector.HealthAddress, "readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var alive = await http.GetAsync(new Uri(connector.HealthAddress, "healthz"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        foreach (var secret in ConnectorHarness.Secrets(env))
        {
            Assert.DoesNotContain(secret, status.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, _logs.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Second_login_of_the_same_user_shows_agent_user_conflict()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        await using var first = await ConnectorHarness.StartAsync(env, _logs);
        await first.WaitOnlineAsync();

        await using var second = await ConnectorHarness.StartAsync(env, new CapturedLogs());

        await Eventually.TrueAsync(
            async () => (await first.StatusAsync())["lastError"]?["reason"]?.GetValue<string>() == "AgentUserConflict",
            "AgentUserConflict on the first connector");
        var message = (await first.StatusAsync())["lastError"]!["message"]!.GetValue<string>();
        Assert.Contains("another login of agent user 'bot1'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capacity_limits_the_conversations_taken()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_CAPACITY"] = "2";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversations = Enumerable.Range(0, 3).Select(i => _sim.OpenConversation("123", "10", $"m{i}")).ToList();

        await Eventually.TrueAsync(() => conversations.Count(c => _sim.GetState().Conversation(c).AssignedAgent is not null) == 2, "two assigned");
        await Task.Delay(500);
        Assert.Equal(2, conversations.Count(c => _sim.GetState().Conversation(c).AssignedAgent is not null));
        Assert.Equal(2, (await connector.StatusAsync())["activeConversations"]!.GetValue<int>());
    }

    [Fact]
    public async Task Keep_alive_without_an_answer_drops_and_reopens_the_socket()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_TIMING_KEEPALIVE_MS"] = "200";
        env["CONNECTOR_TIMING_REQUEST_TIMEOUT_MS"] = "300";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        _sim.Faults.AddRequestFault(new ConnectorOperator.Simulator.Faults.RequestFault(".GetClock", TimeSpan.FromSeconds(2), null, 1));

        await Eventually.TrueAsync(() => _sim.GetState().Counters.SocketsOpened >= 2, "socket reopened after the keep-alive timeout");
        await connector.WaitOnlineAsync();
        Assert.Contains("Keep-alive got no answer", _logs.All, StringComparison.Ordinal);
        Assert.Equal(1, _sim.GetState().Counters.Logins);
    }
}
