using Testcontainers.K3s;

namespace ConnectorOperator.TestSupport.Clusters;

/// <summary>
/// One k3s container per test process, started on first use, its kubeconfig written to a file so the k3s lane loads
/// it exactly as the named-cluster lane loads <see cref="ClusterLanes.KubeconfigVariable"/>. Testcontainers' reaper
/// removes the container when the process ends.
/// </summary>
public static class K3sCluster
{
    public const string Image = "rancher/k3s:v1.32.3-k3s1";

    private static readonly Lazy<Task<string>> Started = new(StartAsync);

    public static Task<string> KubeconfigPathAsync() => Started.Value;

    private static async Task<string> StartAsync()
    {
        var container = new K3sBuilder(Image).Build();
        await container.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"k3s-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, await container.GetKubeconfigAsync());
        return path;
    }
}
