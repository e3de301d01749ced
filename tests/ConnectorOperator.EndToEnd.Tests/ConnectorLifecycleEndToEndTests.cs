using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Dev;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>The AgentConnector's life as a user drives it: kubectl, configuration edits, deletion.</summary>
public sealed class ConnectorLifecycleEndToEndTests
{
    [KubectlFact]
    public async Task Kubectl_wait_for_condition_Online_succeeds_against_the_written_kubeconfig()
    {
        await using var run = await ClusterUnderTest.StartAsync(writeKubeconfig: true);
        var kubectl = Kubectl.Find(run);
        run.Cluster.ApplyDemo();

        var output = await kubectl.SucceedAsync("-n", DemoResources.Namespace, "wait", "--for=condition=Online", $"agentconnector/{DemoResources.Name}", "--timeout=60s");

        Assert.Contains("condition met", output, StringComparison.Ordinal);
        Assert.Equal("Online", run.State);
    }

    [Fact]
    public async Task Deleting_the_AgentConnector_drains_its_connectors_removes_pods_and_finalizer_and_leaves_no_process()
    {
        await using var run = await ClusterUnderTest.StartAsync();
        run.Cluster.ApplyDemo();
        await run.WaitForAsync(() => run.State == "Online" && run.RunningProcesses().Count >= 1, "the demo connector is Online");
        Assert.NotEmpty(run.Connector!["metadata"]!["finalizers"]!.AsArray());
        var pids = run.RunningProcesses().Values.ToList();

        run.Cluster.Api.DeleteObject($"{AgentConnector.Group}/{AgentConnector.Version}", AgentConnector.KindName, DemoResources.Namespace, DemoResources.Name);
        await run.WaitForAsync(() => run.Connector is null && run.Pods.Count == 0 && run.Cluster.Kubelet.RunningProcesses.Count == 0,
            "the AgentConnector, its pods and its connector processes are gone");

        Assert.All(pids, pid => Assert.False(ClusterUnderTest.Alive(pid), $"connector process {pid} still runs"));
        // Drained: each connector ended its own session rather than being killed with it open.
        var sessions = run.Cluster.Simulator.GetState().Sessions;
        Assert.NotEmpty(sessions);
        Assert.All(sessions, s => Assert.True(s.EndedAt is not null, $"session of {s.LoginName} still open"));
    }

    [Theory]
    [InlineData("customConfiguration edit")]
    [InlineData("restartedAt annotation")]
    public async Task Configuration_edit_or_restart_with_open_conversations_rolls_without_session_conflict_or_lost_conversation(string change)
    {
        await using var run = await ClusterUnderTest.StartAsync();
        run.Cluster.ApplyDemo();
        await run.WaitForAsync(() => run.State == "Online" && run.Condition("Ready")?["status"]?.GetValue<string>() == "True", "the demo connector is Online and Ready");
        var before = run.Connector!["status"]!["revision"]!.GetValue<string>();
        var simulator = run.Cluster.Simulator;

        var driving = ConsumerDriver.RunAsync(simulator, new ConsumerDriverOptions
        {
            AccountId = DemoResources.Account(simulator.Options).Id,
            SkillId = DemoResources.BotSkill(simulator.Options),
            Conversations = 20,
            MessagesPerSecond = 0.5,
            OpenSpread = TimeSpan.FromSeconds(2),
            Duration = TimeSpan.FromSeconds(20),
            AnswerTimeout = TimeSpan.FromSeconds(15),
        });
        await run.WaitForAsync(() => simulator.GetState().Conversations.Count(c => c.AssignedAgent is not null) >= 10, "conversations are open on the connector");

        run.ModifyConnector(c =>
        {
            if (change == "restartedAt annotation")
            {
                if (c["metadata"]!["annotations"] is not JsonObject annotations) c["metadata"]!["annotations"] = annotations = [];
                annotations[ConnectorLabels.RestartedAt] = "2026-12-04T01:00:00Z";
            }
            else
                c["spec"]!["customConfiguration"] = new JsonObject { [CustomConfigurationKeys.MessageDelay] = "300" };
        });
        await run.WaitForAsync(() =>
            {
                var status = run.Connector?["status"];
                return status?["revision"]?.GetValue<string>() is { } revision && revision != before
                    && run.Condition("Ready")?["status"]?.GetValue<string>() == "True"
                    && run.ConnectorRows.OfType<JsonObject>().All(r => r["revision"]?.GetValue<string>() == revision);
            }, "the rolling restart completed");
        var report = await driving;

        var state = simulator.GetState();
        Assert.Empty(state.SessionConflicts);
        Assert.True(report.Lost == 0, $"lost conversations: {string.Join(", ", report.LostConversationIds)}");
        Assert.Equal(20, report.Conversations);
    }
}
