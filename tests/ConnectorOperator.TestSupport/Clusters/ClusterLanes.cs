namespace ConnectorOperator.TestSupport.Clusters;

/// <summary>
/// Where a cluster test runs. The API server double always; a real cluster when
/// <see cref="KubeconfigVariable"/> names its kubeconfig (the envtest "existing cluster" pattern); k3s started by
/// Testcontainers where a Docker engine is reachable. A lane that cannot run here is a skipped test with the reason,
/// never a silent pass.
/// </summary>
public static class ClusterLanes
{
    public const string Double = "double";
    public const string Named = "cluster";
    public const string K3s = "k3s";
    public const string KubeconfigVariable = "CONNECTOR_OPERATOR_TEST_KUBECONFIG";

    public static string? NamedKubeconfig => Environment.GetEnvironmentVariable(KubeconfigVariable) is { Length: > 0 } path ? path : null;

    /// <summary>
    /// What Testcontainers would find, checked without connecting (a discovery-time check must be instant):
    /// DOCKER_HOST, or the default Unix socket.
    /// </summary>
    public static bool DockerEngineAdvertised =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    /// <summary>Why <paramref name="lane"/> cannot run on this machine, or null when it can.</summary>
    public static string? SkipReason(string lane) => lane switch
    {
        Double => null,
        Named => NamedKubeconfig is null ? $"no real cluster: set {KubeconfigVariable} to a kubeconfig to run this lane" : null,
        K3s => DockerEngineAdvertised ? null : "no Docker engine (DOCKER_HOST unset, no /var/run/docker.sock): the k3s lane needs one",
        _ => throw new ArgumentOutOfRangeException(nameof(lane), lane, "unknown cluster lane"),
    };

    /// <summary>The kubeconfig of a real-cluster lane: the named one, or the one written for the k3s container.</summary>
    public static async Task<string> KubeconfigAsync(string lane) => lane switch
    {
        Named => NamedKubeconfig ?? throw new InvalidOperationException($"{KubeconfigVariable} is not set"),
        K3s => await K3sCluster.KubeconfigPathAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(lane), lane, "the double has no kubeconfig of its own here"),
    };
}
