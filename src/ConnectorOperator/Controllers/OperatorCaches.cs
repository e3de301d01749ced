using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;

namespace ConnectorOperator.Controllers;

/// <summary>The informers the reconciler reads: AgentConnectors, their pods and budgets, and Secret metadata (never data).</summary>
public sealed record OperatorCaches(
    Informer<AgentConnector> Connectors,
    Informer<Pod> Pods,
    Informer<PartialObjectMetadata> Secrets,
    Informer<PodDisruptionBudget> Budgets)
{
    public IEnumerable<Task> RunAll(CancellationToken cancellationToken) =>
        [Connectors.RunAsync(cancellationToken), Pods.RunAsync(cancellationToken), Secrets.RunAsync(cancellationToken), Budgets.RunAsync(cancellationToken)];
}
