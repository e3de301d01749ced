using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;
using ConnectorOperator.Simulator.Consumers;
using Xunit.Abstractions;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>The connector set sized by real consumer load: real connector processes, the simulator's routing, the operator.</summary>
public sealed class ScalingEndToEndTests(ITestOutputHelper output)
{
    private const int StabilizationSeconds = 8;

    [Fact]
    public async Task Two_hundred_conversations_run_on_four_connectors_of_at_most_fifty_and_Production_returns_to_its_floor_of_two()
    {
        await using var run = await ClusterUnderTest.StartAsync();
        run.Cluster.ApplyDemo(c =>
        {
            c["spec"]!["environment"] = nameof(DeploymentEnvironment.Production);
            c["spec"]!["scaling"]!["scaleDownStabilizationSeconds"] = StabilizationSeconds;
        });
        await run.WaitForAsync(() => run.State == "Online" && ReadyPods(run) == 2, "two Production connectors are Online");

        // From here on, sample the ready connectors and the desired count: Production must never drop below 2,
        // and the exact count for 200 conversations is 4, never a fifth.
        using var sampling = new CancellationTokenSource();
        var minReady = int.MaxValue;
        var maxDesired = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                minReady = Math.Min(minReady, ReadyPods(run));
                maxDesired = Math.Max(maxDesired, run.Connector?["status"]?["desiredReplicas"]?.GetValue<int>() ?? 0);
                await Task.Delay(50);
            }
        });

        var simulator = run.Cluster.Simulator;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var driving = ConsumerDriver.RunAsync(simulator, new ConsumerDriverOptions
        {
            AccountId = DemoResources.Account(simulator.Options).Id,
            SkillId = DemoResources.BotSkill(simulator.Options),
            Conversations = 200,
            MessagesPerSecond = 0.2,
            OpenSpread = TimeSpan.FromSeconds(4),
            Duration = TimeSpan.FromSeconds(45),
            AnswerTimeout = TimeSpan.FromSeconds(30),
        });

        await run.WaitForAsync(() =>
            {
                var status = run.Connector?["status"];
                return run.State == "Online" && status?["readyReplicas"]?.GetValue<int>() == 4
                    && status["activeConversations"]?.GetValue<int>() == 200;
            }, "four connectors Online hold all 200 conversations", TimeSpan.FromSeconds(45));
        output.WriteLine($"4 connectors hold 200 conversations {clock.Elapsed.TotalSeconds:F1} s after the consumers started");
        var rows = run.ConnectorRows.OfType<JsonObject>().ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.InRange(r["activeConversations"]!.GetValue<int>(), 1, 50));
        Assert.Equal(4, run.Connector!["status"]!["desiredReplicas"]!.GetValue<int>());

        var report = await driving;
        Assert.True(report.Lost == 0, $"lost conversations: {string.Join(", ", report.LostConversationIds)}");
        Assert.Equal(200, report.Conversations);
        var closed = clock.Elapsed;

        // The consumers are gone: after the stabilization window the set shrinks back to the Production floor.
        await run.WaitForAsync(() =>
            {
                var status = run.Connector?["status"];
                return status?["desiredReplicas"]?.GetValue<int>() == 2 && run.Pods.Count == 2 && ReadyPods(run) == 2 && run.State == "Online";
            }, "back to two connectors", TimeSpan.FromSeconds(StabilizationSeconds + 40));
        output.WriteLine($"back to 2 connectors {(clock.Elapsed - closed).TotalSeconds:F1} s after the consumers left (window {StabilizationSeconds} s)");

        await sampling.CancelAsync();
        await sampler;
        Assert.True(minReady >= 2, $"Production dropped to {minReady} ready connector(s)");
        Assert.Equal(4, maxDesired);
    }

    private static int ReadyPods(ClusterUnderTest run) => run.Pods.Count(p =>
        p["metadata"]?["deletionTimestamp"] is null
        && (p["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c =>
            c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true);
}
