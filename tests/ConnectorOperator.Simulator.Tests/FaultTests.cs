using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Faults;

namespace ConnectorOperator.Simulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Dropping_all_sockets_aborts_them_without_a_close_code_but_keeps_sessions()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var a = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var b = await TestAgent.LoginAsync(sim, "123", "bot2");
        await a.ConnectAsync();
        await b.ConnectAsync();
        await a.RequestAsync(".GetClock", []);
        await b.RequestAsync(".GetClock", []);

        Assert.Equal(2, sim.DropSockets());

        Assert.Null(await a.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await b.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, await a.RefreshAsync());
    }

    [Fact]
    public async Task Dropping_one_users_sockets_leaves_the_others()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var a = await TestAgent.LoginAsync(sim, "123", "bot1");
        await using var b = await TestAgent.LoginAsync(sim, "123", "bot2");
        await a.ConnectAsync();
        await b.ConnectAsync();
        await a.RequestAsync(".GetClock", []);
        await b.RequestAsync(".GetClock", []);

        Assert.Equal(1, sim.DropSockets("123", "bot1"));

        await a.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, (await b.RequestAsync(".GetClock", [])).Code);
    }

    [Fact]
    public async Task Failing_the_next_refresh_answers_401_once_and_ends_that_session()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();

        sim.Faults.FailNextRefresh("123", "bot1");

        Assert.Equal(HttpStatusCode.Unauthorized, await agent.RefreshAsync());
        Assert.Equal(4401, (int?)await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        await using var again = await TestAgent.LoginAsync(sim, "123", "bot1");
        Assert.Equal(HttpStatusCode.OK, await again.RefreshAsync());
        Assert.Empty(sim.GetState().SessionConflicts);
    }

    [Fact]
    public async Task Refused_logins_are_401_until_allowed_again()
    {
        await using var sim = await TestSimulators.StartAsync();
        sim.Faults.RefuseLogins("123", "bot1");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => TestAgent.LoginAsync(sim, "123", "bot1"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await using var other = await TestAgent.LoginAsync(sim, "123", "bot2");

        sim.Faults.AllowLogins("123", "bot1");
        await using var allowed = await TestAgent.LoginAsync(sim, "123", "bot1");
    }

    [Fact]
    public async Task A_request_type_can_fail_a_given_number_of_times()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        sim.Faults.AddRequestFault(new RequestFault(".ams.routing.SubscribeRoutingTasks", FailWithCode: 500, Times: 2));

        Assert.Equal(500, (await agent.RequestAsync(".ams.routing.SubscribeRoutingTasks", [])).Code);
        Assert.Equal(200, (await agent.RequestAsync(".GetClock", [])).Code);
        Assert.Equal(500, (await agent.RequestAsync(".ams.routing.SubscribeRoutingTasks", [])).Code);
        Assert.Equal(200, (await agent.RequestAsync(".ams.routing.SubscribeRoutingTasks", [])).Code);
        Assert.Equal(2, sim.GetState().Counters.FailedRequests);
    }

    [Fact]
    public async Task A_request_type_can_be_delayed()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        sim.Faults.AddRequestFault(new RequestFault(".GetClock", Delay: TimeSpan.FromMilliseconds(300), Times: 1));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal(200, (await agent.RequestAsync(".GetClock", [])).Code);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task Http_requests_can_fail_by_kind()
    {
        await using var sim = await TestSimulators.StartAsync();
        sim.Faults.AddRequestFault(new RequestFault("csds", FailWithCode: 503, Times: 1));
        sim.Faults.AddRequestFault(new RequestFault("login", FailWithCode: 500, Times: 1));
        using var http = TestAgent.NewHttp(sim);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/api/account/123/service/baseURI.json?version=1.0")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/account/123/service/baseURI.json?version=1.0")).StatusCode);
        var failed = await Assert.ThrowsAsync<HttpRequestException>(() => TestAgent.LoginAsync(sim, "123", "bot1"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
    }

    [Fact]
    public async Task Revoking_a_session_closes_its_socket_with_4401_and_requeues_its_conversations()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await agent.AcceptNextRingAsync();

        Assert.True(sim.RevokeSession("123", "bot1"));

        Assert.Equal(4401, (int?)await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(sim.GetState().Conversation(conversationId).AssignedAgent);
    }

    [Fact]
    public async Task Faults_can_be_injected_over_the_control_api()
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);

        using var refused = await http.PostAsync("/_sim/faults", TestAgent.JsonContent(new JsonObject { ["kind"] = "refuseLogins", ["accountId"] = "123", ["loginName"] = "bot1" }));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => TestAgent.LoginAsync(sim, "123", "bot1"));

        using var cleared = await http.PostAsync("/_sim/faults", TestAgent.JsonContent(new JsonObject { ["kind"] = "clear" }));
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.RequestAsync(".GetClock", []);

        var dropped = await (await http.PostAsync("/_sim/faults", TestAgent.JsonContent(new JsonObject { ["kind"] = "dropSockets", ["loginName"] = "bot1" }))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(1, dropped!["dropped"]!.GetValue<int>());
        using var unknown = await http.PostAsync("/_sim/faults", TestAgent.JsonContent(new JsonObject { ["kind"] = "meteor" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }
}
