using k8s;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// One API server to talk to: KubernetesClient's own configuration (address, trust, credentials, namespace) and
/// where discovery found it.
/// </summary>
public sealed record ClusterConnection(KubernetesClientConfiguration Configuration, string Source)
{
    public Uri Server => new(Configuration.Host);

    /// <summary>The context's namespace, or the service account's namespace in-cluster.</summary>
    public string? DefaultNamespace => Configuration.Namespace;
}
