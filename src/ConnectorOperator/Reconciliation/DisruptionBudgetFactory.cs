using ConnectorOperator.Api;
using k8s.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// One PodDisruptionBudget per AgentConnector: voluntary evictions (node drains) take at most one connector at a
/// time and never the last one, so Production keeps at least 1 of 2. An integer minAvailable works for pods of
/// any owner kind.
/// </summary>
public static class DisruptionBudgetFactory
{
    public static int MinAvailable(int desired) => desired >= 2 ? desired - 1 : desired;

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
