using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Models;

/// <summary>
/// meta.k8s.io/v1 PartialObjectMetadata: an object without its spec, status or data (what a metadata-only
/// list or watch returns). KubernetesClient has no model for it.
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; } = new();
}
