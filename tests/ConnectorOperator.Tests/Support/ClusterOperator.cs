using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Hosting;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.TestSupport.Clusters;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;

namespace ConnectorOperator.Tests.Support;

/// <summary>
/// The operator against one cluster lane. On the double: <see cref="OperatorHarness"/> (shipped RBAC, simulated
/// kubelet, fake connectors). On a real cluster: the generated CRD applied as its admin, a fresh namespace, and the
/// operator host scoped to that namespace, connecting through the lane's kubeconfig as a deployment would.
/// </summary>
internal sealed class ClusterOperator : IAsyncDisposable
{
    private readonly OperatorHarness? _harness;
    private readonly WebApplication? _operator;

    private ClusterOperator(KubernetesClient client, string ns, OperatorHarness? harness, WebApplication? host)
    {
        Client = client;
        Namespace = ns;
        _harness = harness;
        _operator = host;
    }

    public KubernetesClient Client { get; }

    public string Namespace { get; }

    public static async Task<ClusterOperator> StartAsync(string lane)
    {
        if (lane == ClusterLanes.Double)
        {
            var harness = await OperatorHarness.StartAsync();
            return new ClusterOperator(harness.Client, OperatorHarness.Namespace, harness, null);
        }

        var kubeconfig = await ClusterLanes.KubeconfigAsync(lane);
        var connection = ClusterConnectionDiscovery.Discover(new ConnectionOptions { KubeconfigPath = kubeconfig });
        var client = KubernetesClientFactory.Create(connection, json: Kubernetes.Serialization.KubernetesJson.CreateOptions(AgentConnectorJsonContext.Default));
        await ApplyCrdAsync(client);
        var ns = "co-operator-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateAsync(ResourceType.Namespace, new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var host = OperatorApp.Build(
        [
            "--Host:HealthAddress=http://127.0.0.1:0",
            "--Host:LeaderElection=false",
            $"--Operator:Namespaces:0={ns}",
            "--Operator:DrainSeconds=1",
            "--Operator:DefaultImage=ghcr.io/connectoroperator/connector:0.1.0",
            "--Logging:LogLevel:Default=Warning",
            $"--Kubernetes:KubeconfigPath={kubeconfig}",
        ]);
        await host.StartAsync();
        return new ClusterOperator(client, ns, null, host);
    }

    /// <summary>Creates or updates the AgentConnector CRD (a real cluster may hold an older one) and waits until it serves.</summary>
    private static async Task ApplyCrdAsync(KubernetesClient client)
    {
        var generated = CrdGenerator.Generate(AgentConnectorCrd.Definition).ToJsonString();
        var crd = JsonSerializer.Deserialize<V1CustomResourceDefinition>(generated, Kubernetes.Serialization.KubernetesJson.Default)!;
        var existing = await client.TryGetAsync<V1CustomResourceDefinition>(ResourceType.CustomResourceDefinition, null, crd.Metadata.Name);
        if (existing is null)
        {
            await client.CreateAsync(ResourceType.CustomResourceDefinition, crd);
        }
        else
        {
            crd.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            await client.ReplaceAsync(ResourceType.CustomResourceDefinition, crd);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var current = await client.GetAsync<V1CustomResourceDefinition>(ResourceType.CustomResourceDefinition, null, crd.Metadata.Name);
            if (current.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true) return;
            if (DateTime.UtcNow > deadline) Assert.Fail("the AgentConnector CRD did not become Established within 30 s");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
            return;
        }
        await _operator!.StopAsync();
        await _operator.DisposeAsync();
        try
        {
            await Client.DeleteAsync(ResourceType.Namespace, null, Namespace);
        }
        catch (KubernetesApiException)
        {
            // Best effort: a test cluster is cleaned by its owner anyway.
        }
        Client.Dispose();
    }
}
