namespace ConnectorOperator.Hosting;

/// <summary>How the operator process itself runs, bound from configuration section "Host".</summary>
public sealed class OperatorOptions
{
    /// <summary>Address for /healthz, /readyz and /metrics.</summary>
    public string HealthAddress { get; set; } = "http://0.0.0.0:8081";

    public bool LeaderElection { get; set; } = true;

    /// <summary>Namespace of the leader Lease; defaults to the service account's namespace, then "default".</summary>
    public string? LeaseNamespace { get; set; }

    public string LeaseName { get; set; } = "connector-operator-leader";
}
