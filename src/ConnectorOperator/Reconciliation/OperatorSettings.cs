namespace ConnectorOperator.Reconciliation;

/// <summary>Operator-wide settings that shape connector pods, bound from configuration section "Operator".</summary>
public sealed class OperatorSettings
{
    /// <summary>Connector image when a resource names none.</summary>
    public string DefaultImage { get; set; } = "ghcr.io/connectoroperator/connector:0.1.0";

    /// <summary>Bot endpoint when a resource names none; {botId} is replaced by the bot's id.</summary>
    public string BotEndpointTemplate { get; set; } = "https://bots.example.invalid/bots/{botId}/messages";

    /// <summary>Domain-lookup (CSDS) host the connectors use; empty means the connector's own default.</summary>
    public string? CsdsDomain { get; set; }

    /// <summary>The connector's health/control port (docs/connector-contract.md).</summary>
    public int ConnectorPort { get; set; } = 8080;

    /// <summary>Time a connector gets to hand its conversations back before it exits.</summary>
    public int DrainSeconds { get; set; } = 25;

    /// <summary>Namespaces to watch; empty means all.</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>How long one connector's /status may take before it counts as unreachable.</summary>
    public TimeSpan StatusPollTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each running connector's /status is polled; a changed report wakes its AgentConnector.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Least time between two status writes of one AgentConnector that only record progress (connectors coming up,
    /// conversation counts); failures, decisions and the end of a rollout are written at once.
    /// </summary>
    public TimeSpan StatusProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
