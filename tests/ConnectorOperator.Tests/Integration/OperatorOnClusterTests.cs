using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Tests.Support;
using ConnectorOperator.TestSupport.Clusters;
using k8s.Models;

namespace ConnectorOperator.Tests.Integration;

/// <summary>
/// The operator's core cycle on every cluster lane, with the same expectations everywhere: on the double its fake
/// connectors come Online; on a real cluster the connector image has no Conversational Cloud to reach, so Offline.
/// </summary>
public class OperatorOnClusterTests
{
    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task An_applied_connector_gets_its_finalizer_an_owned_pod_and_a_status_and_deleting_it_removes_them(string lane)
    {
        await using var cluster = await ClusterOperator.StartAsync(lane);
        var client = cluster.Client;
        var ns = cluster.Namespace;
        var connector = OperatorHarness.Connector("lane", users: 1);
        connector.Metadata.NamespaceProperty = ns;
        await client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "lane-user1", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["appKey"] = "k", ["appSecret"] = "s", ["accessToken"] = "t", ["accessTokenSecret"] = "ts" },
        });
        var created = await client.CreateAsync(AgentConnector.Resource, connector);

        AgentConnector? seen = null;
        IList<V1Pod> pods = [];
        await Until(async () =>
        {
            seen = await client.GetAsync<AgentConnector>(AgentConnector.Resource, ns, "lane");
            pods = (await client.ListAsync<V1Pod>(ResourceType.Pod, ns, new ListOptions { LabelSelector = "connectoroperator.dev/agent-connector=lane" })).Items;
            return pods.Count == 1 && seen.Status?.ObservedGeneration == seen.Metadata.Generation && seen.Status?.State is ConnectorState.Online or ConnectorState.Offline;
        }, () => $"one pod and a status for generation {seen?.Metadata.Generation}; pods {pods.Count}, status {seen?.Status?.State} at {seen?.Status?.ObservedGeneration}");

        Assert.Contains(ConnectorLabels.Finalizer, seen!.Metadata.Finalizers!);
        var owner = Assert.Single(pods[0].Metadata.OwnerReferences!);
        Assert.Equal((created.Metadata.Uid, "AgentConnector", true), (owner.Uid, owner.Kind, owner.Controller == true));

        await client.DeleteAsync(AgentConnector.Resource, ns, "lane");
        await Until(async () =>
            await client.TryGetAsync<AgentConnector>(AgentConnector.Resource, ns, "lane") is null
            && (await client.ListAsync<V1Pod>(ResourceType.Pod, ns, new ListOptions { LabelSelector = "connectoroperator.dev/agent-connector=lane" })).Items.Count == 0,
            () => "the AgentConnector and its pods are gone");
    }

    private static async Task Until(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what()}");
            await Task.Delay(200);
        }
    }
}
