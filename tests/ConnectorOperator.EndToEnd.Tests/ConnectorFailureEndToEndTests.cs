using System.Diagnostics;
using System.Text.Json.Nodes;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>What a user sees when a real connector cannot log in or its process dies.</summary>
public sealed class ConnectorFailureEndToEndTests
{
    [Fact]
    public async Task Wrong_credentials_show_Offline_Unauthorized_with_a_message_that_names_the_Secret_to_fix()
    {
        await using var run = await ClusterUnderTest.StartAsync();
        var simulator = run.Cluster.Simulator.Options;
        var user = DemoResources.Account(simulator).Users.First(u => u.IsBot);
        foreach (var secret in DemoResources.Secrets(simulator))
        {
            if (secret["metadata"]!["name"]!.GetValue<string>() == DemoResources.SecretName(user))
            {
                var data = (JsonObject)secret["stringData"]!;
                foreach (var key in data.Select(p => p.Key).ToList()) data[key] = "wrong-" + key;
            }
            run.Cluster.Api.CreateObject(secret);
        }
        // Only the user with the wrong Secret, so the connector cannot fall back on another one.
        var connector = DemoResources.AgentConnector(simulator, run.Cluster.Simulator.BotAddress);
        var users = (JsonArray)connector["spec"]!["agentUsers"]!;
        foreach (var other in users.Where(u => u!["loginName"]!.GetValue<string>() != user.LoginName).ToList()) users.Remove(other);
        connector["spec"]!["scaling"]!["minReplicas"] = 1;
        connector["spec"]!["scaling"]!["maxReplicas"] = 1;
        run.Cluster.Api.CreateObject(connector);

        await run.WaitForAsync(() => run.Condition("Online")?["reason"]?.GetValue<string>() == "Unauthorized", "Online is False for Unauthorized");

        Assert.Equal("Offline", run.State);
        var online = run.Condition("Online")!;
        Assert.Equal("False", online["status"]!.GetValue<string>());
        var message = online["message"]!.GetValue<string>();
        Assert.Contains(user.LoginName, message, StringComparison.Ordinal);
        Assert.Contains("credentials Secret", message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-", message, StringComparison.Ordinal);
        var row = Assert.Single(run.ConnectorRows)!;
        Assert.False(row["connected"]!.GetValue<bool>());
        Assert.Equal("Unauthorized", row["reason"]?.GetValue<string>());
    }

    [Fact]
    public async Task Killed_connector_process_shows_not_connected_then_restarts_and_is_Online_again()
    {
        await using var run = await ClusterUnderTest.StartAsync();
        run.Cluster.ApplyDemo();
        await run.WaitForAsync(() => run.State == "Online" && run.ConnectorRows.Count >= 1
            && run.ConnectorRows.OfType<JsonObject>().All(r => r["connected"]!.GetValue<bool>()) && run.RunningProcesses().Count == run.ConnectorRows.Count,
            "the demo connectors are Online");
        var (pod, pid) = run.RunningProcesses().OrderBy(p => p.Key, StringComparer.Ordinal).First();
        var podName = pod[(pod.IndexOf('/', StringComparison.Ordinal) + 1)..];

        var killedAt = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pid)) process.Kill(); // SIGKILL: no drain, no logout
        await run.WaitForAsync(() => run.ConnectorRows.OfType<JsonObject>().Any(r => r["pod"]?.GetValue<string>() == podName && !r["connected"]!.GetValue<bool>()),
            "the status shows the killed connector not connected", TimeSpan.FromSeconds(10));
        var noticedAfter = killedAt.Elapsed;

        await run.WaitForAsync(() => RestartCount(run, podName) >= 1, "the pod's container restarted");
        await run.WaitForAsync(() => run.State == "Online" && run.ConnectorRows.OfType<JsonObject>().All(r => r["connected"]!.GetValue<bool>())
                && run.RunningProcesses().TryGetValue(pod, out var next) && next != pid,
            "Online again with a new connector process in the same pod");
        Assert.False(ClusterUnderTest.Alive(pid));
        Assert.True(noticedAfter < TimeSpan.FromSeconds(10), $"noticed after {noticedAfter}");
        Assert.True(run.ConnectorRows.OfType<JsonObject>().Single(r => r["pod"]?.GetValue<string>() == podName)["restarts"]!.GetValue<int>() >= 1);
    }

    private static int RestartCount(ClusterUnderTest run, string podName) =>
        run.Pods.Where(p => p["metadata"]?["name"]?.GetValue<string>() == podName).SelectMany(p => (p["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(c => c["restartCount"]?.GetValue<int>() ?? 0).DefaultIfEmpty(0).Max();
}
