using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Tests;

public sealed class ControlApiTests
{
    [Fact]
    public async Task Consumers_can_open_write_and_close_over_http_and_state_shows_it()
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();

        using var opened = await http.PostAsync("/_sim/conversations", TestAgent.JsonContent(new JsonObject { ["accountId"] = "123", ["skillId"] = "10", ["message"] = "hi" }));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var conversationId = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<string>();
        await agent.AcceptNextRingAsync();
        using var said = await http.PostAsync($"/_sim/conversations/{conversationId}/messages", TestAgent.JsonContent(new JsonObject { ["text"] = "more" }));
        Assert.Equal(1, (await said.Content.ReadFromJsonAsync<JsonObject>())!["sequence"]!.GetValue<long>());
        using var closed = await http.PostAsync($"/_sim/conversations/{conversationId}/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        var single = JsonNode.Parse(await http.GetStringAsync($"/_sim/conversations/{conversationId}"))!;
        Assert.Equal("bot1", single["assignedAgent"]!.GetValue<string>());
        Assert.Equal("Closed", single["state"]!.GetValue<string>());
        var state = JsonNode.Parse(await http.GetStringAsync("/_sim/state"))!;
        var conversation = state["conversations"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == conversationId)!;
        Assert.Equal("Closed", conversation["state"]!.GetValue<string>());
        Assert.Equal("consumer", conversation["closedBy"]!.GetValue<string>());
        Assert.Equal(["hi", "more"], conversation["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        Assert.Equal("ONLINE", state["agents"]!.AsArray().Single(a => a!["loginName"]!.GetValue<string>() == "bot1")!["availability"]!.GetValue<string>());
        Assert.Equal(1, state["counters"]!["conversationsOpened"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_skill_or_conversation_is_a_client_error()
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);

        using var badSkill = await http.PostAsync("/_sim/conversations", TestAgent.JsonContent(new JsonObject { ["accountId"] = "123", ["skillId"] = "77" }));
        using var badConversation = await http.PostAsync("/_sim/conversations/nope/messages", TestAgent.JsonContent(new JsonObject { ["text"] = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, badSkill.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badConversation.StatusCode);
    }

    [Fact]
    public async Task Activity_stream_reports_conversation_events_as_json_lines()
    {
        await using var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);
        using var response = await http.GetAsync("/_sim/activity", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var conversationId = sim.OpenConversation("123", "10", "hi");

        var lines = new List<JsonNode>();
        while (lines.Count < 2)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add(JsonNode.Parse(line)!);
            }
        }

        Assert.Equal(["Opened", "ConsumerMessage"], lines.Select(l => l["kind"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.Equal(conversationId, l["conversationId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Stopping_the_simulator_ends_open_activity_streams_and_sockets_promptly()
    {
        var sim = await TestSimulators.StartAsync();
        using var http = TestAgent.NewHttp(sim);
        using var response = await http.GetAsync("/_sim/activity", HttpCompletionOption.ResponseHeadersRead);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.RequestAsync(".GetClock", []);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await sim.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"stopped after {watch.Elapsed}");
        await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
