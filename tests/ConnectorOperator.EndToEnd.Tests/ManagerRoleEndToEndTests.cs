using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>Role Manager end to end: the operator, real connector processes and bot agent users with the agent manager profile.</summary>
public sealed class ManagerRoleEndToEndTests
{
    [Fact]
    public async Task A_Manager_AgentConnector_goes_Online_and_its_bot_answers_and_escalates_conversations_held_as_MANAGER()
    {
        await using var run = await ClusterUnderTest.StartAsync();
        var simulator = run.Cluster.Simulator;
        // Before any connector logs in: the demo's bot users get the agent manager profile.
        foreach (var user in DemoResources.Account(simulator.Options).Users.Where(u => u.IsBot)) user.Profile = AgentRole.Manager;
        run.Cluster.ApplyDemo(c => c["spec"]!["role"] = nameof(AgentRole.Manager));
        await run.WaitForAsync(() => run.State == "Online" && run.ConnectorRows.OfType<JsonObject>().Any(r => r["connected"]!.GetValue<bool>()),
            "the Manager connectors are Online");
        var pod = run.Pods[0];
        var env = pod["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(env, e => e?["name"]?.GetValue<string>() == ConnectorEnvironment.Role && e["value"]?.GetValue<string>() == "Manager");

        var account = DemoResources.Account(simulator.Options).Id;
        var conversation = simulator.OpenConversation(account, DemoResources.BotSkill(simulator.Options), "hello");
        await run.WaitForAsync(() => BotLines(run, conversation).Contains("You said: hello"), "the bot answered through a Manager connector");
        Assert.All(simulator.GetState().Conversation(conversation).Messages.Where(m => m.Role != "CONSUMER"), m => Assert.Equal("MANAGER", m.Role));

        simulator.SendConsumerMessage(conversation, "I want an agent");
        await run.WaitForAsync(() => simulator.GetState().Conversation(conversation).SkillId == simulator.Options.SampleBot.HumanSkillId,
            "the Manager connector escalated to the human skill");
        Assert.Null(simulator.GetState().Conversation(conversation).AssignedAgent);
    }

    private static List<string> BotLines(ClusterUnderTest run, string conversationId) =>
        [.. run.Cluster.Simulator.GetState().Conversation(conversationId).Messages.Where(m => m.Role != "CONSUMER").Select(m => m.Text ?? "")];
}
