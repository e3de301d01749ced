using ConnectorOperator.Kubernetes.Runtime;
using k8s.Models;

namespace ConnectorOperator.Controllers;

/// <summary>
/// The pod cache's transform: a cached connector pod keeps only what the operator reads from it — metadata
/// without managedFields, each container's name, image and ports (the status poller's port), the node,
/// and the status. Environment, probes, security context and volumes are what the operator wrote itself;
/// it rebuilds them from the spec and never compares them with a cached pod.
/// </summary>
public static class ConnectorPodCache
{
    public static V1Pod Lean(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        CacheTransforms.WithoutManagedFields(pod);
        return new V1Pod
        {
            ApiVersion = pod.ApiVersion,
            Kind = pod.Kind,
            Metadata = pod.Metadata,
            Spec = pod.Spec is { } spec
                ? new V1PodSpec
                {
                    Containers = spec.Containers?.Select(c => new V1Container { Name = c.Name, Image = c.Image, Ports = c.Ports }).ToList() ?? [],
                    NodeName = spec.NodeName,
                }
                : null,
            Status = pod.Status,
        };
    }
}
