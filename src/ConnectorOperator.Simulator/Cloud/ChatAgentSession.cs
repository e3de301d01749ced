namespace ConnectorOperator.Simulator.Cloud;

/// <summary>A Chat API agent session opened on top of a login.</summary>
internal sealed class ChatAgentSession(string id, AgentSession login)
{
    public string Id { get; } = id;

    public AgentSession Login { get; } = login;

    /// <summary>Online, Away or Occupied.</summary>
    public string Availability { get; set; } = "Away";

    public bool IsEnded { get; set; }
}
