using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Tests;

public sealed class LoginTests
{
    [Fact]
    public async Task Domain_lookup_lists_every_service_on_the_simulator_port()
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);

        var body = await http.GetFromJsonAsync<JsonObject>("/api/account/123/service/baseURI.json?version=1.0");

        var services = body!["baseURIs"]!.AsArray().ToDictionary(n => n!["service"]!.GetValue<string>(), n => n!["baseURI"]!.GetValue<string>());
        Assert.Equal(["agentVep", "asyncMessagingEnt", "facadeMsg", "accountConfigReadOnly"], services.Keys);
        Assert.All(services.Values, uri => Assert.Equal($"127.0.0.1:{sim.Port}", uri));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/account/999/service/baseURI.json?version=1.0")).StatusCode);
    }

    [Fact]
    public async Task Login_with_api_key_and_with_password_returns_bearer_csrf_and_user_id()
    {
        await using var sim = await TestSimulators.StartAsync();

        await using var byKey = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var byPassword = await TestAgent.LoginAsync(sim, "123", new JsonObject { ["username"] = "bot3", ["password"] = "bot3-password" });

        Assert.Equal("123.1001", byKey.UserId);
        Assert.Equal("123.1003", byPassword.UserId);
        Assert.NotEqual(byKey.Bearer, byPassword.Bearer);
        var sessions = sim.GetState().Sessions;
        Assert.Equal(["ApiKey", "Password"], sessions.Select(s => s.LoginMethod));
    }

    [Fact]
    public async Task Login_answers_session_ttl_and_a_session_cookie()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.SessionTtl = TimeSpan.FromSeconds(90));
        using var http = TestAgent.NewHttp(sim);

        using var response = await http.PostAsync("/api/account/123/login?v=1.3", TestAgent.JsonContent(TestAgent.ApiKeyBody("bot1")));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("90", body["sessionTTl"]!.GetValue<string>());
        Assert.Equal("bot1", body["config"]!["loginName"]!.GetValue<string>());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("session_id=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bot3", "wrong")]
    [InlineData("nobody", "bot3-password")]
    public async Task Wrong_password_or_unknown_user_is_401(string user, string password)
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);

        using var response = await http.PostAsync("/api/account/123/login?v=1.3", TestAgent.JsonContent(new JsonObject { ["username"] = user, ["password"] = password }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, sim.GetState().Counters.FailedLogins);
    }

    [Fact]
    public async Task Wrong_api_key_secret_is_401()
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);
        var body = TestAgent.ApiKeyBody("bot1");
        body["accessTokenSecret"] = "guess";

        using var response = await http.PostAsync("/api/account/123/login?v=1.3", TestAgent.JsonContent(body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Refresh_extends_the_session_beyond_its_ttl()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.SessionTtl = TimeSpan.FromMilliseconds(1500));
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(400);
            Assert.Equal(HttpStatusCode.OK, await agent.RefreshAsync());
        }

        Assert.Null(sim.GetState().Sessions.Single().EndedAt);
        Assert.Equal(4, sim.GetState().Sessions.Single().Refreshes);
    }

    [Fact]
    public async Task Session_expires_without_refresh_closing_its_socket_with_4401()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.SessionTtl = TimeSpan.FromMilliseconds(300));
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();

        var status = await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4401, (int?)status);
        Assert.Equal(HttpStatusCode.Unauthorized, await agent.RefreshAsync());
        Assert.Equal("Expired", sim.GetState().Sessions.Single().EndReason);
    }

    [Fact]
    public async Task A_request_on_a_socket_whose_session_expired_closes_it_with_4401_even_between_sweeps()
    {
        await using var sim = await TestSimulators.StartAsync(o =>
        {
            o.SessionTtl = TimeSpan.FromMilliseconds(200);
            o.SweepInterval = TimeSpan.FromHours(1);
        });
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await Task.Delay(300);

        _ = agent.RequestAsync(".GetClock", []);

        Assert.Equal(4401, (int?)await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("Expired", sim.GetState().Sessions.Single().EndReason);
    }

    [Fact]
    public async Task Second_login_of_the_same_user_revokes_the_first_and_records_a_conflict()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var first = await TestAgent.LoginAsync(sim, "123", "bot1");
        await first.ConnectAsync();
        await first.GoOnlineAsync();

        await using var second = await TestAgent.LoginAsync(sim, "123", "bot1");

        Assert.Equal(4401, (int?)await first.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.Unauthorized, await first.RefreshAsync());
        Assert.Equal(HttpStatusCode.OK, await second.RefreshAsync());
        var state = sim.GetState();
        var conflict = Assert.Single(state.SessionConflicts);
        Assert.Equal("bot1", conflict.LoginName);
        Assert.True(conflict.RevokedHadSocket);
        var revoked = state.Sessions.Single(s => s.SessionId == conflict.RevokedSessionId);
        Assert.Equal("Revoked", revoked.EndReason);
        Assert.Equal(conflict.At, revoked.EndedAt);
    }

    [Fact]
    public async Task Logins_of_different_users_do_not_conflict()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var a = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var b = await TestAgent.LoginAsync(sim, "123", "bot2");

        Assert.Empty(sim.GetState().SessionConflicts);
    }

    [Fact]
    public async Task Logout_ends_the_session_and_a_socket_with_its_bearer_is_refused_with_4401()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");

        Assert.Equal(HttpStatusCode.OK, await agent.LogoutAsync());
        await agent.ConnectAsync();

        Assert.Equal(4401, (int?)await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("LoggedOut", sim.GetState().Sessions.Single().EndReason);
    }
}
