using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Tests;

/// <summary>MANAGER participants (the agent manager profile) and the OAuth 2.0 token endpoint.</summary>
public sealed class ManagerAndApigeeTests
{
    private static void ManagerProfile(SimulatorOptions options) =>
        options.Accounts.Single(a => a.Id == "123").Users.Single(u => u.LoginName == "bot1").Profile = AgentRole.Manager;

    [Fact]
    public async Task A_manager_profile_holds_its_routed_conversation_as_MANAGER_and_only_that_role_removes_it()
    {
        await using var sim = await TestSimulators.StartAsync(ManagerProfile);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await agent.AcceptNextRingAsync();

        var upsert = await agent.WaitForNotificationAsync("cqm.ExConversationChangeNotification",
            b => b["changes"]![0]!["result"]!["convId"]!.GetValue<string>() == conversationId);
        var participants = upsert["changes"]![0]!["result"]!["conversationDetails"]!["participants"]!.AsArray();
        Assert.Contains(participants, p => p!["id"]!.GetValue<string>() == agent.UserId && p["role"]!.GetValue<string>() == "MANAGER");
        Assert.Equal(200, (await agent.PublishTextAsync(conversationId, "hello")).Code);
        Assert.Equal("MANAGER", sim.GetState().Conversation(conversationId).Messages[^1].Role);

        var wrongRole = await agent.TransferAsync(conversationId, "20");
        Assert.Equal(400, wrongRole.Code);
        Assert.Equal("bot1", sim.GetState().Conversation(conversationId).AssignedAgent);

        var asManager = await agent.RequestAsync(".ams.cm.UpdateConversationField", new JsonObject
        {
            ["conversationId"] = conversationId,
            ["conversationField"] = new JsonArray
            {
                new JsonObject { ["field"] = "ParticipantsChange", ["type"] = "REMOVE", ["role"] = "MANAGER", ["userId"] = agent.UserId },
                new JsonObject { ["field"] = "Skill", ["type"] = "UPDATE", ["skill"] = "20" },
            },
        });
        Assert.Equal(200, asManager.Code);
        Assert.Equal("20", sim.GetState().Conversation(conversationId).SkillId);
    }

    [Fact]
    public async Task The_token_endpoint_issues_tokens_for_the_right_client_and_refuses_the_wrong_one()
    {
        await using var sim = await TestSimulators.StartAsync(o =>
            o.Apigee = new ApigeeOptions { ClientId = "cid", ClientSecret = "csecret", Audience = "bots", TokenLifetime = TimeSpan.FromMinutes(10) });
        using var http = new HttpClient();

        async Task<HttpResponseMessage> RequestAsync(string secret, string audience = "bots") => await http.PostAsync(sim.ApigeeTokenAddress, new FormUrlEncodedContent(
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "cid", ["client_secret"] = secret, ["audience"] = audience }));

        using var ok = await RequestAsync("csecret");
        var body = (await ok.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(ok.IsSuccessStatusCode);
        Assert.Equal("600", body["expires_in"]!.GetValue<string>());
        Assert.True(sim.Apigee.IsValid(body["access_token"]!.GetValue<string>()));

        using var wrongSecret = await RequestAsync("nope");
        Assert.Equal(401, (int)wrongSecret.StatusCode);
        using var wrongAudience = await RequestAsync("csecret", "others");
        Assert.Equal(400, (int)wrongAudience.StatusCode);
        Assert.Equal(1, sim.Apigee.TokensIssued);
        Assert.All(sim.Apigee.Requests, r => Assert.Equal("***", r["client_secret"]));
    }

    [Fact]
    public async Task The_sample_bot_can_require_an_issued_token_and_answers_health_probes_without_counting_them()
    {
        await using var sim = await TestSimulators.StartAsync(o =>
        {
            o.Apigee = new ApigeeOptions { ClientId = "cid", ClientSecret = "csecret" };
            o.SampleBot.RequireApigeeToken = true;
        });
        using var http = new HttpClient();
        var probe = new JsonObject { ["event"] = new JsonObject { ["type"] = "healthCheck", ["text"] = "" } };

        using var refused = await http.PostAsync(sim.BotAddress, JsonContent.Create(probe));
        Assert.Equal(401, (int)refused.StatusCode);

        using var tokenAnswer = await http.PostAsync(sim.ApigeeTokenAddress, new FormUrlEncodedContent(
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "cid", ["client_secret"] = "csecret" }));
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, sim.BotAddress) { Content = JsonContent.Create(probe) };
        request.Headers.Authorization = new("Bearer", token);
        using var answered = await http.SendAsync(request);

        Assert.True(answered.IsSuccessStatusCode);
        Assert.Equal(0, sim.GetState().Counters.BotCalls);
    }
}
