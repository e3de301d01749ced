using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Simulator.Tests;

public sealed class ChatTests
{
    private static async Task<(TestAgent Login, string SessionPath)> StartChatAgentAsync(ConversationalCloudSimulator sim)
    {
        var login = await TestAgent.LoginAsync(sim, "456", new JsonObject { ["username"] = "chatbot1", ["password"] = "chatbot1-password" });
        using var created = await SendAsync(login, HttpMethod.Post, "/api/account/456/agentSession?v=1&NC=true", new JsonObject { ["loginData"] = "" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sessionPath = created.Headers.Location!.AbsolutePath;
        using var online = await SendAsync(login, HttpMethod.Post, sessionPath + "/availability?v=1&NC=true",
            new JsonObject { ["availability"] = new JsonObject { ["chat"] = "Online" } }, methodOverride: "PUT");
        Assert.Equal(HttpStatusCode.OK, online.StatusCode);
        return (login, sessionPath);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestAgent login, HttpMethod method, string path, JsonNode? body = null, string? methodOverride = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", login.Bearer);
        if (methodOverride is not null)
        {
            request.Headers.Add("X-HTTP-Method-Override", methodOverride);
        }

        if (body is not null)
        {
            request.Content = TestAgent.JsonContent(body);
        }

        return await login.Http.SendAsync(request);
    }

    private static async Task<JsonNode> GetJsonAsync(TestAgent login, string pathAndQuery)
    {
        using var response = await SendAsync(login, HttpMethod.Get, pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<string> AcceptRingingChatAsync(TestAgent login, string sessionPath)
    {
        await Eventually.TrueAsync(
            async () => (await GetJsonAsync(login, sessionPath + "/incomingRequests?v=1&NC=true"))["incomingRequests"]!["ringingCount"]!.GetValue<string>() != "0",
            TimeSpan.FromSeconds(10),
            "a ringing chat");
        using var accepted = await SendAsync(login, HttpMethod.Post, sessionPath + "/incomingRequests?v=1&NC=true", new JsonObject());
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        return accepted.Headers.Location!.AbsolutePath;
    }

    [Fact]
    public async Task Chat_agent_session_rings_accepts_reads_writes_and_follows_next_links()
    {
        await using var sim = await TestSimulators.StartAsync();
        var (login, sessionPath) = await StartChatAgentAsync(sim);
        await using var _ = login;

        var conversationId = sim.OpenConversation("456", "30", "hello chat bot");
        var chatPath = await AcceptRingingChatAsync(login, sessionPath);
        Assert.EndsWith("/chat/" + conversationId, chatPath, StringComparison.Ordinal);

        var first = await GetJsonAsync(login, chatPath + "/events?v=1&NC=true&from=0");
        var line = first["events"]!["event"]![0]!;
        Assert.Equal(("line", "hello chat bot", "Visitor", "visitor"), (line["@type"]!.GetValue<string>(), line["text"]!.GetValue<string>(), line["by"]!.GetValue<string>(), line["source"]!.GetValue<string>()));
        var next = new Uri(first["events"]!["link"]![0]!["@href"]!.GetValue<string>()).PathAndQuery;

        using (var added = await SendAsync(login, HttpMethod.Post, chatPath + "/events?v=1&NC=true",
            new JsonObject { ["event"] = new JsonObject { ["@type"] = "line", ["text"] = "You said: hello chat bot", ["textType"] = "plain" } }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        sim.SendConsumerMessage(conversationId, "thanks");
        var second = await GetJsonAsync(login, next);
        Assert.Equal(["You said: hello chat bot", "thanks"], second["events"]!["event"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
        Assert.Equal(["agent", "visitor"], second["events"]!["event"]!.AsArray().Select(e => e!["source"]!.GetValue<string>()));

        using (var ended = await SendAsync(login, HttpMethod.Post, chatPath + "/events?v=1&NC=true",
            new JsonObject { ["event"] = new JsonObject { ["@type"] = "state", ["state"] = "ended" } }))
        {
            Assert.Equal(HttpStatusCode.Created, ended.StatusCode);
        }

        var last = await GetJsonAsync(login, new Uri(second["events"]!["link"]![0]!["@href"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal("ended", last["events"]!["event"]![0]!["state"]!.GetValue<string>());
        var conversation = sim.GetState().Conversation(conversationId);
        Assert.Equal(ConversationState.Closed, conversation.State);
        Assert.Equal(["hello chat bot", "You said: hello chat bot", "thanks"], conversation.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Nothing_ringing_answers_404_on_accept()
    {
        await using var sim = await TestSimulators.StartAsync();
        var (login, sessionPath) = await StartChatAgentAsync(sim);
        await using var _ = login;

        using var response = await SendAsync(login, HttpMethod.Post, sessionPath + "/incomingRequests?v=1&NC=true", new JsonObject());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Chat_transfer_to_a_human_skill_counts_an_escalation()
    {
        await using var sim = await TestSimulators.StartAsync();
        var (login, sessionPath) = await StartChatAgentAsync(sim);
        await using var _ = login;
        var conversationId = sim.OpenConversation("456", "30", "a human please");
        var chatPath = await AcceptRingingChatAsync(login, sessionPath);

        using var transferred = await SendAsync(login, HttpMethod.Post, chatPath + "/transfer?v=1&NC=true",
            new JsonObject { ["transfer"] = new JsonObject { ["skill"] = new JsonObject { ["id"] = "40" }, ["text"] = "Passing you to a colleague." } });

        Assert.Equal(HttpStatusCode.Created, transferred.StatusCode);
        var conversation = sim.GetState().Conversation(conversationId);
        Assert.Equal(("40", ConversationState.Queued), (conversation.SkillId, conversation.State));
        Assert.Single(conversation.Escalations);
        Assert.Equal("Passing you to a colleague.", conversation.Messages[^1].Text);
        using var gone = await SendAsync(login, HttpMethod.Get, chatPath + "/events?v=1&NC=true&from=0");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task An_unaccepted_chat_sets_the_agent_away_and_rings_another()
    {
        await using var sim = await TestSimulators.StartAsync(o =>
        {
            o.ChatRingExpiry = TimeSpan.FromSeconds(1);
            o.Accounts[1].Users.Add(Options.AgentUserOptions.WithPassword("chatbot2", 2002, "chatbot2-password", ["30"]));
        });
        var (slow, _) = await StartChatAgentAsync(sim);
        await using var __ = slow;
        var conversationId = sim.OpenConversation("456", "30", "hi");
        Assert.Equal("chatbot1", sim.GetState().Conversation(conversationId).RingingAgent);

        await Eventually.TrueAsync(() => sim.GetState().Agent("456", "chatbot1").ChatAvailability == "Away", TimeSpan.FromSeconds(10), "chatbot1 set Away");
        Assert.Equal(0, sim.GetState().Counters.RingsAccepted);
        var other = await TestAgent.LoginAsync(sim, "456", new JsonObject { ["username"] = "chatbot2", ["password"] = "chatbot2-password" });
        await using var ___ = other;
        using var created = await SendAsync(other, HttpMethod.Post, "/api/account/456/agentSession?v=1&NC=true", new JsonObject { ["loginData"] = "" });
        var otherPath = created.Headers.Location!.AbsolutePath;
        using var online = await SendAsync(other, HttpMethod.Put, otherPath + "/availability?v=1&NC=true", new JsonObject { ["availability"] = new JsonObject { ["chat"] = "Online" } });

        Assert.EndsWith(conversationId, await AcceptRingingChatAsync(other, otherPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_agent_session_requeues_its_chats()
    {
        await using var sim = await TestSimulators.StartAsync();
        var (login, sessionPath) = await StartChatAgentAsync(sim);
        await using var _ = login;
        var conversationId = sim.OpenConversation("456", "30", "hi");
        await AcceptRingingChatAsync(login, sessionPath);

        using var deleted = await SendAsync(login, HttpMethod.Delete, sessionPath + "?v=1&NC=true");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(ConversationState.Queued, sim.GetState().Conversation(conversationId).State);
        using var gone = await SendAsync(login, HttpMethod.Get, sessionPath + "/incomingRequests?v=1&NC=true");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task The_agent_session_can_be_deleted_through_a_method_override()
    {
        await using var sim = await TestSimulators.StartAsync();
        var (login, sessionPath) = await StartChatAgentAsync(sim);
        await using var _ = login;

        using var plainPost = await SendAsync(login, HttpMethod.Post, sessionPath + "?v=1&NC=true", new JsonObject());
        using var deleted = await SendAsync(login, HttpMethod.Post, sessionPath + "?v=1&NC=true", new JsonObject(), methodOverride: "DELETE");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, plainPost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Null(sim.GetState().Agent("456", "chatbot1").ChatAvailability);
    }

    [Fact]
    public async Task A_messaging_account_has_no_chat_api()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var login = await TestAgent.LoginAsync(sim, "123", "bot1");

        using var response = await SendAsync(login, HttpMethod.Post, "/api/account/123/agentSession?v=1&NC=true", new JsonObject { ["loginData"] = "" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
