using System.Text.Json.Nodes;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Tests.Support;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Integration;

/// <summary>The operator's pod cache can lag the server for long (a pod watch in backoff); no agent user may get a second pod for it.</summary>
public class StalePodCacheTests
{
    [Fact]
    public async Task A_pod_created_while_the_pod_watch_is_down_is_not_created_again_once_the_operator_stops_waiting_for_its_cache()
    {
        await using var h = await StartAsync();
        var connector = Connector("sales", users: 2);
        connector.Spec.Replicas = 1;
        await h.ApplyAsync(connector);
        await h.WaitForAsync("sales", Online, "online with one connector");
        // Every pod watch fails from now on: the operator's pod cache keeps the one pod it has.
        h.Server.Faults.FailRequests(1, 500, pathContains: "pods?watch=true");
        h.Server.Faults.CutWatches();

        await h.PatchSpecAsync("sales", new JsonObject { ["replicas"] = 2 });
        // Beyond the 30 s the operator waits for its cache to show a pod it created.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (DateTime.UtcNow < until)
        {
            var pods = await h.PodsAsync("sales");
            var users = pods.Select(p => p.Metadata.Annotations![ConnectorLabels.AgentUser]).ToList();
            Assert.True(users.Count == users.Distinct().Count(), $"two pods for one agent user: {string.Join(", ", pods.Select(p => p.Metadata.Name))}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(2, (await h.PodsAsync("sales")).Count);
    }
}
