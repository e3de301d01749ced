namespace ConnectorOperator.Api;

/// <summary>metav1.Condition's shape, as the AgentConnector status declares it (the CRD schema is generated from it).</summary>
public sealed class Condition
{
    public string Type { get; set; } = "";

    public string Status { get; set; } = "Unknown";

    public long? ObservedGeneration { get; set; }

    public DateTimeOffset LastTransitionTime { get; set; }

    public string Reason { get; set; } = "";

    public string Message { get; set; } = "";
}
