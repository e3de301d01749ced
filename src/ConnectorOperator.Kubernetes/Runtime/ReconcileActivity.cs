using System.Diagnostics;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>The trace source of reconcile spans (tags: k8s.namespace, k8s.name, reconcile.result, reconcile.requeue_after_seconds).</summary>
public static class ReconcileActivity
{
    public const string SourceName = "ConnectorOperator.Reconcile";

    public static ActivitySource Source { get; } = new(SourceName);
}
