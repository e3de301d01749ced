namespace ConnectorOperator.Connector.Health;

/// <summary>What the /drain endpoints ask of the running connector.</summary>
public interface IDrainControl
{
    /// <summary>The most a drain takes before the connector stops anyway.</summary>
    TimeSpan DrainTime { get; }

    /// <summary>
    /// Completes once the drain is over: true when conversations were handed back and the agent logged out,
    /// false when the drain time ran out (or the agent failed). The health endpoints still answer at that
    /// moment; the process exits right after.
    /// </summary>
    Task<bool> Drained { get; }

    /// <summary>Starts the drain; later calls do nothing.</summary>
    void RequestDrain();
}
