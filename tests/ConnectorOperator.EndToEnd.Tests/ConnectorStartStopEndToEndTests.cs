using System.Text.Json.Nodes;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>The Agent Connectors page's per-connector Start/Stop, with real connector processes: agentUsers[].running.</summary>
public sealed class ConnectorStartStopEndToEndTests
{
    [Fact]
    public async Task Stopping_one_agent_user_ends_its_connector_alone_and_starting_it_brings_a_new_one()
    {
        await using var run = await ClusterUnderTest.StartAsync();
        run.Cluster.ApplyDemo();
        // Two agent users, both wanted: stopping one cannot be covered by a spare.
        run.ModifyConnector(c =>
        {
            var spec = c["spec"]!;
            var users = spec["agentUsers"]!.AsArray();
            while (users.Count > 2) users.RemoveAt(users.Count - 1);
            spec.AsObject().Remove("scaling");
            spec["replicas"] = 2;
        });
        await run.WaitForAsync(() => run.State == "Online" && ReadyReplicas(run) == 2 && run.RunningProcesses().Count == 2 && run.Pods.Count == 2,
            "two connectors are Online");
        var kept = LoginName(run, 0);
        var stopped = LoginName(run, 1);
        // Process ids are keyed by namespace/name.
        var keptPod = $"{DemoResources.Namespace}/{Row(run, kept)!["pod"]!.GetValue<string>()}";
        var keptPid = run.RunningProcesses()[keptPod];
        var stoppedPod = $"{DemoResources.Namespace}/{Row(run, stopped)!["pod"]!.GetValue<string>()}";
        var stoppedPid = run.RunningProcesses()[stoppedPod];

        SetRunning(run, index: 1, running: false);
        await run.WaitForAsync(() => Row(run, stopped)?["state"]?.GetValue<string>() == "Stopped" && run.Pods.Count == 1 && !ClusterUnderTest.Alive(stoppedPid),
            $"{stopped}'s connector is stopped and its process gone");

        Assert.Equal("Online", run.State);
        Assert.Equal(keptPid, run.RunningProcesses()[keptPod]);
        var sessions = run.Cluster.Simulator.GetState().Sessions;
        // The stopped connector ended its own session (drained); the other one's session never ended.
        Assert.All(sessions.Where(s => s.LoginName == stopped), s => Assert.NotNull(s.EndedAt));
        Assert.Contains(sessions, s => s.LoginName == kept && s.EndedAt is null);
        Assert.Equal("False", run.Condition("Stopped")?["status"]?.GetValue<string>());

        SetRunning(run, index: 1, running: true);
        await run.WaitForAsync(() => run.State == "Online" && ReadyReplicas(run) == 2 && Row(run, stopped)?["state"]?.GetValue<string>() == "Online",
            $"{stopped}'s connector runs again");
        Assert.Equal(keptPid, run.RunningProcesses()[keptPod]);
        Assert.Contains(run.Cluster.Simulator.GetState().Sessions, s => s.LoginName == stopped && s.EndedAt is null);
        Assert.Empty(run.Cluster.Simulator.GetState().SessionConflicts);
    }

    private static int ReadyReplicas(ClusterUnderTest run) => run.Connector?["status"]?["readyReplicas"]?.GetValue<int>() ?? 0;

    private static string LoginName(ClusterUnderTest run, int index) =>
        run.Connector!["spec"]!["agentUsers"]![index]!["loginName"]!.GetValue<string>();

    private static JsonObject? Row(ClusterUnderTest run, string loginName) =>
        (run.Connector?["status"]?["agentUsers"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r["loginName"]?.GetValue<string>() == loginName);

    private static void SetRunning(ClusterUnderTest run, int index, bool running) =>
        run.ModifyConnector(c => c["spec"]!["agentUsers"]![index]!["running"] = running);
}
