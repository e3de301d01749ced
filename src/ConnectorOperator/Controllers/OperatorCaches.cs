using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Controllers;

/// <summary>The informers the reconciler reads: AgentConnectors, their pods and budgets, and V1Secret metadata (never data).</summary>
public sealed record OperatorCaches(
    Informer<AgentConnector> Connectors,
    Informer<V1Pod> Pods,
    Informer<PartialObjectMetadata> Secrets,
    Informer<V1PodDisruptionBudget> Budgets)
{
    public IEnumerable<Task> RunAll(CancellationToken cancellationToken) =>
        [Connectors.RunAsync(cancellationToken), Pods.RunAsync(cancellationToken), Secrets.RunAsync(cancellationToken), Budgets.RunAsync(cancellationToken)];
}
