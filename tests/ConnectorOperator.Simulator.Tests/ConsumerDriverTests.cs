using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.Simulator.Tests;

public sealed class ConsumerDriverTests
{
    [Fact]
    public async Task Driver_measures_a_round_trip_for_every_message_answered_by_the_agents()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var a = await EchoAgent.StartAsync(sim, "bot1");
        await using var b = await EchoAgent.StartAsync(sim, "bot2");

        var report = await ConsumerDriver.RunAsync(sim, new ConsumerDriverOptions
        {
            Conversations = 20,
            MessagesPerSecond = 4,
            Duration = TimeSpan.FromSeconds(1),
            AnswerTimeout = TimeSpan.FromSeconds(10),
        });

        Assert.Equal(20, report.Conversations);
        Assert.Equal(20, report.Answered);
        Assert.Equal(0, report.Lost);
        Assert.True(report.MessagesSent > 20, $"sent {report.MessagesSent}");
        Assert.Equal(report.MessagesSent, report.RoundTrips);
        Assert.Equal(0, report.UnansweredMessages);
        Assert.NotNull(report.P50Ms);
        Assert.True(report.P50Ms <= report.P95Ms && report.P95Ms <= report.P99Ms && report.P99Ms <= report.MaxMs);
        var state = sim.GetState();
        Assert.All(state.Conversations, c => Assert.Equal(Cloud.ConversationState.Closed, c.State));
        Assert.Contains(state.Agents, x => x.LoginName == "bot1" && x.OpenConversations.Count == 0);
        Assert.True(state.Conversations.Count(c => c.ClosedBy == "consumer") == 20);
    }

    [Fact]
    public async Task Scripted_conversations_that_ask_for_a_human_count_as_escalated_not_lost()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await EchoAgent.StartAsync(sim, "bot1");

        var report = await ConsumerDriver.RunAsync(sim, new ConsumerDriverOptions
        {
            Conversations = 5,
            Script = ["hello", "I need a human"],
            Duration = TimeSpan.FromSeconds(20),
            AnswerTimeout = TimeSpan.FromSeconds(10),
            CloseAtEnd = false,
        });

        Assert.Equal((5, 5, 0), (report.Escalated, report.Answered, report.Lost));
        Assert.Equal(10, report.RoundTrips);
        Assert.All(sim.GetState().Conversations, c => Assert.Equal("20", c.SkillId));
    }

    [Fact]
    public async Task Conversations_nobody_answers_are_reported_lost()
    {
        await using var sim = await TestSimulators.StartAsync();

        var report = await ConsumerDriver.RunAsync(sim, new ConsumerDriverOptions
        {
            Conversations = 3,
            MessagesPerSecond = 0,
            Duration = TimeSpan.Zero,
            AnswerTimeout = TimeSpan.FromMilliseconds(200),
        });

        Assert.Equal(3, report.Lost);
        Assert.Equal(3, report.LostConversationIds.Count);
        Assert.Equal(3, report.UnansweredMessages);
        Assert.Null(report.P50Ms);
    }

    [Fact]
    public async Task A_conversation_answered_once_whose_later_message_gets_no_answer_is_reported_unanswered_though_not_lost()
    {
        await using var sim = await TestSimulators.StartAsync();
        var agent = await EchoAgent.StartAsync(sim, "bot1");

        var driving = ConsumerDriver.RunAsync(sim, new ConsumerDriverOptions
        {
            Conversations = 1,
            MessagesPerSecond = 1,
            Duration = TimeSpan.FromSeconds(2.5),
            AnswerTimeout = TimeSpan.FromMilliseconds(500),
        });
        await Eventually.TrueAsync(() => sim.GetState().Conversations.Any(c => c.Messages.Any(m => m.Role == "ASSIGNED_AGENT")), TimeSpan.FromSeconds(10), "the first message is answered");
        await agent.DisposeAsync();
        var report = await driving;

        Assert.Equal((1, 0), (report.Answered, report.Lost));
        Assert.Single(report.UnansweredConversationIds);
        Assert.True(report.UnansweredMessages >= 1);
    }

    [Fact]
    public async Task Driver_works_against_a_simulator_over_its_control_api()
    {
        await using var sim = await TestSimulators.StartAsync();
        await using var agent = await EchoAgent.StartAsync(sim, "bot1");
        await using var channel = new HttpConsumerChannel(sim.CsdsAddress);

        var report = await new ConsumerDriver(channel, new ConsumerDriverOptions
        {
            Conversations = 5,
            MessagesPerSecond = 4,
            Duration = TimeSpan.FromSeconds(1),
            AnswerTimeout = TimeSpan.FromSeconds(10),
        }).RunAsync();

        Assert.Equal((5, 0), (report.Answered, report.Lost));
        Assert.Equal(report.MessagesSent, report.RoundTrips);
    }

    [Fact]
    public async Task Two_hundred_conversations_fill_four_agents_of_capacity_fifty_and_none_is_lost()
    {
        await using var sim = await TestSimulators.StartAsync(o => o.Accounts[0].Users.Add(Options.AgentUserOptions.WithApiKey("bot4", 1004, ["10"])));
        var agents = new List<EchoAgent>();
        foreach (var login in new[] { "bot1", "bot2", "bot3", "bot4" })
        {
            agents.Add(login == "bot3"
                ? await EchoAgent.StartAsync(sim, new System.Text.Json.Nodes.JsonObject { ["username"] = "bot3", ["password"] = "bot3-password" })
                : await EchoAgent.StartAsync(sim, login));
        }

        try
        {
            var report = await ConsumerDriver.RunAsync(sim, new ConsumerDriverOptions
            {
                Conversations = 200,
                MessagesPerSecond = 1,
                Duration = TimeSpan.FromSeconds(1.5),
                AnswerTimeout = TimeSpan.FromSeconds(20),
                CloseAtEnd = false,
            });

            Assert.Equal((200, 0), (report.Answered, report.Lost));
            Assert.All(sim.GetState().Agents.Where(a => a.AccountId == "123"), a => Assert.Equal(50, a.OpenConversations.Count));
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }
}
