using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// One PodDisruptionBudget per AgentConnector: voluntary evictions (node drains) take at most one connector at a
/// time and never the last one, so Production keeps at least 1 of 2. An integer minAvailable works for pods of
/// any owner kind.
/// </summary>
public static class DisruptionBudgetFactory
{
    public static int MinAvailable(int desired) => desired >= 2 ? desired - 1 : desired;

    public static PodDisruptionBudget Build(AgentConnector connector, int desired)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var name = connector.Metadata.Name!;
        return new PodDisruptionBudget
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = connector.Metadata.Namespace,
                Labels = new() { [ConnectorLabels.Connector] = name, [ConnectorLabels.ManagedBy] = ConnectorLabels.ManagedByValue },
                OwnerReferences = [connector.ControllerReference()],
            },
            Spec = new PodDisruptionBudgetSpec
            {
                MinAvailable = new IntOrString(MinAvailable(desired)),
                Selector = new LabelSelector { MatchLabels = ConnectorLabels.Selector(name) },
            },
        };
    }

    public static bool UpToDate(PodDisruptionBudget? observed, PodDisruptionBudget wanted) =>
        observed is not null
        && observed.Spec.MinAvailable?.ToString() == wanted.Spec.MinAvailable?.ToString()
        && observed.Spec.MaxUnavailable is null
        && observed.Spec.Selector?.MatchLabels is { } labels
        && labels.Count == wanted.Spec.Selector!.MatchLabels!.Count
        && labels.All(l => wanted.Spec.Selector.MatchLabels.TryGetValue(l.Key, out var v) && v == l.Value);
}
