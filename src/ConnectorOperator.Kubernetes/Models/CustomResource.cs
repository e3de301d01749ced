using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Models;

/// <summary>A custom resource whose spec and status are typed by the caller.</summary>
public class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; } = new();

    public TSpec Spec { get; set; } = new();

    public TStatus? Status { get; set; }
}
