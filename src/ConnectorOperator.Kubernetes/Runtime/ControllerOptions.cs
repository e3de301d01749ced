namespace ConnectorOperator.Kubernetes.Runtime;

public sealed class ControllerOptions
{
    /// <summary>Reconciles running at once (never two for the same key).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Ignore updates of the primary kind that change only status (same generation, metadata that matters unchanged).</summary>
    public bool SkipStatusOnlyChanges { get; set; } = true;
}
