using ConnectorOperator.Api.Schema;

namespace ConnectorOperator.Api;

/// <summary>
/// Compute resources as a platform team writes them in the pod template (core/v1 ResourceRequirements' shape).
/// Quantities stay strings exactly as written, so the revision hash of a spec never depends on how a
/// library normalizes a quantity.
/// </summary>
public sealed class ConnectorResources
{
    [MapValues(AgentConnectorRules.QuantityPattern, MaxLength = AgentConnectorRules.MaxIdLength)]
    public Dictionary<string, string>? Limits { get; set; }

    [MapValues(AgentConnectorRules.QuantityPattern, MaxLength = AgentConnectorRules.MaxIdLength)]
    public Dictionary<string, string>? Requests { get; set; }
}
