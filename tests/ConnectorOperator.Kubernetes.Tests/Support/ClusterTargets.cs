using System.Text.Json;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.TestSupport.Clusters;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Support;

/// <summary>
/// The contract suite's clusters (<see cref="ClusterLanes"/>): the in-process API server double always, a real
/// cluster named by CONNECTOR_OPERATOR_TEST_KUBECONFIG, and k3s where Docker exists. Every test gets a fresh
/// namespace, deleted afterwards, so a shared real cluster stays clean.
/// </summary>
public sealed class ClusterTargets : IAsyncLifetime
{
    private readonly List<(KubernetesClient Client, string Namespace)> _namespaces = [];
    private readonly Dictionary<string, KubernetesClient> _clients = [];

    public ApiServerDouble Server { get; private set; } = null!;

    /// <summary>The double keeps a short watch history so a contract test can outrun it and see 410, as on a real cluster.</summary>
    public const int DoubleWatchHistory = 100;

    public async Task InitializeAsync() =>
        Server = await ApiServerDouble.StartAsync(new ApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300), WatchHistorySize = DoubleWatchHistory });

    /// <summary>A client for <paramref name="lane"/>: the shared one, or a new one with <paramref name="options"/>.</summary>
    public async Task<KubernetesClient> ClientForAsync(string lane, KubernetesClientOptions? options = null, JsonSerializerOptions? json = null)
    {
        var shared = options is null && json is null;
        if (shared && _clients.TryGetValue(lane, out var existing)) return existing;
        KubernetesClient client;
        if (lane == ClusterLanes.Double)
        {
            client = new KubernetesClient(new SocketsHttpHandler(), Server.BaseAddress, options ?? FastRetries(), json);
        }
        else
        {
            var connection = ClusterConnectionDiscovery.Discover(new ConnectionOptions { KubeconfigPath = await ClusterLanes.KubeconfigAsync(lane) });
            client = KubernetesClientFactory.Create(connection, options ?? FastRetries(), json);
        }
        if (shared) _clients[lane] = client;
        return client;
    }

    /// <summary>A fresh namespace per test keeps tests independent on a shared real cluster; it is deleted afterwards.</summary>
    public async Task<string> NamespaceAsync(KubernetesClient client)
    {
        var name = "co-test-" + Guid.NewGuid().ToString("N")[..10];
        await client.CreateAsync(ResourceType.Namespace, new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        lock (_namespaces) _namespaces.Add((client, name));
        return name;
    }

    public static KubernetesClientOptions FastRetries() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public async Task DisposeAsync()
    {
        foreach (var (client, ns) in _namespaces)
        {
            try
            {
                await client.DeleteAsync(ResourceType.Namespace, null, ns);
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException)
            {
                // Best effort: a test cluster is cleaned by its owner anyway.
            }
        }
        await Server.DisposeAsync();
    }
}

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(25);
        }
        Assert.Fail($"timed out waiting until {what}");
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);
}
