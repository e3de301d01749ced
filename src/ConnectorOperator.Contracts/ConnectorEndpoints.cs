namespace ConnectorOperator.Contracts;

/// <summary>The paths a connector serves on its one HTTP port (docs/connector-contract.md, Health and control).</summary>
public static class ConnectorEndpoints
{
    /// <summary>Liveness: 200 while the loops make progress.</summary>
    public const string Healthz = "/healthz";

    /// <summary>Readiness: 200 when connected end to end and not draining.</summary>
    public const string Readyz = "/readyz";

    /// <summary>The <see cref="ConnectorStatusReport"/> the operator polls.</summary>
    public const string Status = "/status";

    /// <summary>Prometheus text exposition.</summary>
    public const string Metrics = "/metrics";

    /// <summary>POST starts a drain; GET (a pod's preStop hook) answers when it is over.</summary>
    public const string Drain = "/drain";
}
