using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>Role Manager on Messaging: the bot agent user has the agent manager profile and holds its conversations as MANAGER.</summary>
public sealed class ManagerRoleTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync()
    {
        var options = ConnectorHarness.FastSimulatorOptions();
        options.Accounts.Single(a => a.Id == "123").Users.Single(u => u.LoginName == "bot1").Profile = AgentRole.Manager;
        _sim = await ConversationalCloudSimulator.StartAsync(options);
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task A_manager_connector_answers_as_MANAGER_and_transfers_by_removing_its_MANAGER_participant()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_ROLE"] = "Manager";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "hello");
        await Eventually.TrueAsync(() => BotLines(conversation).Contains("You said: hello"), "the bot answers a manager's conversation");
        Assert.All(_sim.GetState().Conversation(conversation).Messages.Where(m => m.Role != "CONSUMER"), m => Assert.Equal("MANAGER", m.Role));
        Assert.Equal(1, (await connector.StatusAsync())["activeConversations"]!.GetValue<int>());

        _sim.SendConsumerMessage(conversation, "I want an agent");

        await Eventually.TrueAsync(() => _sim.GetState().Conversation(conversation).SkillId == "20", "transferred to the human skill");
        Assert.Null(_sim.GetState().Conversation(conversation).AssignedAgent);
        await Eventually.TrueAsync(async () => (await connector.StatusAsync())["activeConversations"]!.GetValue<int>() == 0, "the conversation left the connector");
        Assert.DoesNotContain("holds conversation", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connector_whose_role_differs_from_the_users_profile_still_serves_and_says_what_to_fix()
    {
        // Role Agent for a user with the manager profile: the conversation arrives with a MANAGER participant.
        await using var connector = await ConnectorHarness.StartAsync(ConnectorHarness.Environment(_sim, "bot1"), _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "hello");

        await Eventually.TrueAsync(() => BotLines(conversation).Contains("You said: hello"), "the bot answers anyway");
        var status = await connector.StatusAsync();
        Assert.Equal("InvalidConfiguration", status["lastError"]!["reason"]!.GetValue<string>());
        Assert.Contains("holds conversation", status["lastError"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("set the role to the agent user's profile", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Role_Manager_on_a_user_with_the_agent_profile_answers_the_conversation_routing_assigned_to_it()
    {
        // The reported failure: the ring was accepted, the conversation assigned (ASSIGNED_AGENT), and the bot never answered.
        var env = ConnectorHarness.Environment(_sim, "bot2");
        env["CONNECTOR_ROLE"] = "Manager";
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "hello");

        await Eventually.TrueAsync(() => BotLines(conversation).Contains("You said: hello"), "the bot answers");
        Assert.All(_sim.GetState().Conversation(conversation).Messages.Where(m => m.Role != "CONSUMER"), m => Assert.Equal("ASSIGNED_AGENT", m.Role));
        Assert.Contains("holds conversation", _logs.All, StringComparison.Ordinal);
    }

    private List<string> BotLines(string conversationId) =>
        [.. _sim.GetState().Conversation(conversationId).Messages.Where(m => m.Role != "CONSUMER").Select(m => m.Text ?? "")];
}
