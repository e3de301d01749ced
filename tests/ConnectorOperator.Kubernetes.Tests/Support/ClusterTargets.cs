using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.LocalCluster;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Support;

/// <summary>
/// Where the shared client/runtime suite runs: always against the in-process API server double, and also against
/// a real cluster when CONNECTOR_OPERATOR_TEST_KUBECONFIG names a kubeconfig (the envtest "existing cluster" pattern).
/// Without that variable the real-cluster cases simply do not exist.
/// </summary>
public sealed class ClusterTargets : IAsyncLifetime
{
    public const string Double = "double";
    public const string Real = "cluster";
    public const string KubeconfigVariable = "CONNECTOR_OPERATOR_TEST_KUBECONFIG";

    private readonly List<(KubernetesClient Client, string Namespace)> _namespaces = [];
    private KubernetesClient? _realClient;

    public static IEnumerable<object[]> All =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KubeconfigVariable)) ? [[Double]] : [[Double], [Real]];

    public ApiServerDouble Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ApiServerDouble.StartAsync(new ApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });

    public KubernetesClient ClientFor(string target, KubernetesClientOptions? options = null)
    {
        if (target == Double) return new KubernetesClient(new SocketsHttpHandler(), Server.BaseAddress, options ?? FastRetries());
        if (options is null && _realClient is not null) return _realClient;
        var connection = ClusterConnectionDiscovery.Discover(new ConnectionOptions { KubeconfigPath = Environment.GetEnvironmentVariable(KubeconfigVariable) });
        var client = KubernetesClientFactory.Create(connection, options ?? FastRetries());
        if (options is null) _realClient = client;
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
