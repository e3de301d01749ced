using ConnectorOperator.Api.Schema;

namespace ConnectorOperator.Api;

/// <summary>A toleration of the connector pods, as written in the pod template (core/v1 Toleration's shape).</summary>
public sealed class ConnectorToleration
{
    [Pattern(AgentConnectorRules.OptionalIdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxQualifiedNameLength)]
    public string? Key { get; set; }

    [Pattern(AgentConnectorRules.OptionalIdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxQualifiedNameLength)]
    public string? Operator { get; set; }

    [Pattern(AgentConnectorRules.OptionalIdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxQualifiedNameLength)]
    public string? Value { get; set; }

    [Pattern(AgentConnectorRules.OptionalIdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxQualifiedNameLength)]
    public string? Effect { get; set; }

    public long? TolerationSeconds { get; set; }
}
