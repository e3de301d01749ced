using System.Net;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Tests;

public sealed class SampleBotTests
{
    private static JsonObject BotRequest(string type, string text) => new()
    {
        ["botId"] = "b1",
        ["conversationId"] = "c1",
        ["conversationType"] = "Messaging",
        ["accountId"] = "123",
        ["agentUser"] = "bot1",
        ["event"] = new JsonObject { ["type"] = type, ["text"] = text },
        ["context"] = new JsonObject { ["skillId"] = "10", ["consumerId"] = "u1", ["accessibility"] = true },
    };

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> AskAsync(ConversationalCloudSimulator sim, JsonObject request, string? bearer = null)
    {
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, sim.BotAddress) { Content = TestAgent.JsonContent(request) };
        if (bearer is not null)
        {
            message.Headers.Authorization = new("Bearer", bearer);
        }

        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Theory]
    [InlineData("I want an agent")]
    [InlineData("REPRESENTATIVE please")]
    [InlineData("can you help me")]
    [InlineData("talk to a Human")]
    [InlineData("this is unhelpful")]
    public async Task Text_matching_the_tutorial_pattern_escalates_to_the_human_skill(string text)
    {
        await using var sim = await TestSimulators.StartAsync();

        var (status, body) = await AskAsync(sim, BotRequest("message", text));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("escalate", body!["action"]!["type"]!.GetValue<string>());
        Assert.Equal("20", body["action"]!["skillId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("hi how are you")]
    [InlineData("what is my balance")]
    public async Task Other_text_is_echoed_without_an_action(string text)
    {
        await using var sim = await TestSimulators.StartAsync();

        var (_, body) = await AskAsync(sim, BotRequest("message", text));

        Assert.Equal($"You said: {text}", body!["replies"]![0]!["text"]!.GetValue<string>());
        Assert.Null(body["action"]);
        Assert.True(body["seen"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Greeting_gets_a_welcome_and_bye_closes()
    {
        await using var sim = await TestSimulators.StartAsync();

        var (_, greeting) = await AskAsync(sim, BotRequest("greeting", "hi"));
        var (_, bye) = await AskAsync(sim, BotRequest("message", "Bye!"));

        Assert.StartsWith("Hi!", greeting!["replies"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(greeting["action"]);
        Assert.Equal("close", bye!["action"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Menu_is_answered_with_structured_content()
    {
        await using var sim = await TestSimulators.StartAsync();

        var (_, body) = await AskAsync(sim, BotRequest("message", "menu"));

        var replies = body!["replies"]!.AsArray();
        Assert.Equal(2, replies.Count);
        Assert.Equal("vertical", replies[1]!["structuredContent"]!["type"]!.GetValue<string>());
        Assert.Null(body["action"]);
    }

    [Fact]
    public async Task Without_a_human_skill_the_escalation_names_no_skill()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.SampleBot.HumanSkillId = null);

        var (_, body) = await AskAsync(sim, BotRequest("message", "agent"));

        Assert.Equal("escalate", body!["action"]!["type"]!.GetValue<string>());
        Assert.Null(body["action"]!["skillId"]);
    }

    [Fact]
    public async Task Webhook_mode_requires_the_bearer_key()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.SampleBot.ApiKey = "webhook-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await AskAsync(sim, BotRequest("message", "hi"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AskAsync(sim, BotRequest("message", "hi"), "wrong")).Status);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(sim, BotRequest("message", "hi"), "webhook-key")).Status);
    }

    [Fact]
    public async Task A_failing_bot_answers_its_failure_status_until_cleared()
    {
        await using var sim = await TestSimulators.StartAsync();

        sim.Faults.SetBotFailure(503);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await AskAsync(sim, BotRequest("message", "hi"))).Status);
        sim.Faults.SetBotFailure(null);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(sim, BotRequest("message", "hi"))).Status);
        Assert.Equal((2, 1), (sim.GetState().Counters.BotCalls, sim.GetState().Counters.BotFailures));
    }

    [Fact]
    public async Task A_slow_bot_answers_after_its_latency()
    {
        await using var sim = await TestSimulators.StartAsync();
        sim.Faults.SetBotLatency(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var (status, _) = await AskAsync(sim, BotRequest("message", "hi"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
    }
}
