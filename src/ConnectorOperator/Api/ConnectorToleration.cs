namespace ConnectorOperator.Api;

/// <summary>A toleration of the connector pods, as written in the pod template (core/v1 Toleration's shape).</summary>
public sealed class ConnectorToleration
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public string? Value { get; set; }

    public string? Effect { get; set; }

    public long? TolerationSeconds { get; set; }
}
