using ConnectorOperator.Simulator.Cli;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task Sample_configuration_loads_and_serves_its_accounts()
    {
        var options = SimulatorOptions.FromJson(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sim.sample.json")));

        Assert.Equal(TimeSpan.FromSeconds(72), options.RingExpiry);
        Assert.Equal(ConversationType.Chat, options.Accounts[1].ConversationType);
        Assert.False(options.Accounts[0].Users[2].IsBot);
        await using var sim = await ConversationalCloudSimulator.StartAsync(options);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        Assert.Equal("123.1001", agent.UserId);
    }

    [Fact]
    public async Task A_skill_served_only_by_human_users_is_a_human_skill()
    {
        var options = SimulatorOptions.FromJson(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sim.sample.json")));
        await using var sim = await ConversationalCloudSimulator.StartAsync(options);
        await using var agent = await TestAgent.LoginAsync(sim, "123", "bot1");
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        var conversationId = sim.OpenConversation("123", "10", "hi");
        await agent.AcceptNextRingAsync();

        await agent.TransferAsync(conversationId, "20");

        Assert.Single(sim.GetState().Conversation(conversationId).Escalations);
    }

    [Fact]
    public async Task Invalid_configurations_are_refused_at_start()
    {
        var unknownSkill = SimulatorOptions.CreateDefault();
        unknownSkill.Accounts[0].Users[0].Skills.Add("99");
        var duplicateUser = SimulatorOptions.CreateDefault();
        duplicateUser.Accounts[0].Users.Add(AgentUserOptions.WithPassword("bot1", 5, "x", []));

        await Assert.ThrowsAsync<InvalidOperationException>(() => ConversationalCloudSimulator.StartAsync(unknownSkill));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ConversationalCloudSimulator.StartAsync(duplicateUser));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ConversationalCloudSimulator.StartAsync(new SimulatorOptions()));
    }

    [Theory]
    [InlineData("60s", 60_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("00:00:03", 3_000)]
    public void Durations_parse_as_people_type_them(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5s")]
    public void Nonsense_durations_do_not_parse(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
