namespace ConnectorOperator.Kubernetes.Runtime;

public sealed class ControllerOptions
{
    /// <summary>Reconciles running at once (never two for the same key).</summary>
    public int Workers { get; set; } = 2;
}
