using ConnectorOperator.Api;
using k8s.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// One PodDisruptionBudget per AgentConnector: voluntary evictions (node drains) take at most one connector at a
/// time, Production (at least 2 connectors) always keeps one ready, and a single connector stays evictable so it
/// never blocks a drain. An integer minAvailable of desired - 1 says exactly that. maxUnavailable: 1 would not do:
/// for pods of a custom resource the disruption controller reads the expected count from the scale subresource,
/// and an autoscaled AgentConnector has no spec.replicas, so that read fails and the budget allows no eviction.
/// </summary>
public static class DisruptionBudgetFactory
{
    /// <summary>One fewer than the connectors wanted, never below 0: 1 of 1 would forbid every eviction.</summary>
    public static int MinAvailable(int desired) => Math.Max(desired - 1, 0);

    public static V1PodDisruptionBudget Build(AgentConnector connector, int desired)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var name = connector.Metadata.Name!;
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = connector.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [ConnectorLabels.Connector] = name, [ConnectorLabels.ManagedBy] = ConnectorLabels.ManagedByValue },
                OwnerReferences = [connector.ControllerReference()],
            },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = MinAvailable(desired),
                Selector = new V1LabelSelector { MatchLabels = ConnectorLabels.Selector(name) },
            },
        };
    }

    public static bool UpToDate(V1PodDisruptionBudget? observed, V1PodDisruptionBudget wanted) =>
        observed is not null
        && observed.Spec.MinAvailable?.Value == wanted.Spec.MinAvailable?.Value
        && observed.Spec.MaxUnavailable is null
        && observed.Spec.Selector?.MatchLabels is { } labels
        && labels.Count == wanted.Spec.Selector!.MatchLabels!.Count
        && labels.All(l => wanted.Spec.Selector.MatchLabels.TryGetValue(l.Key, out var v) && v == l.Value);
}
