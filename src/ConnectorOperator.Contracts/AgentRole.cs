namespace ConnectorOperator.Contracts;

/// <summary>
/// The bot agent user's profile in Conversational Cloud (the resource's role, CONNECTOR_ROLE): it decides which
/// participant role the connector joins a Messaging conversation with. Chat has no roles.
/// </summary>
public enum AgentRole
{
    /// <summary>Joins as ASSIGNED_AGENT: takes conversations from routing rings.</summary>
    Agent,

    /// <summary>Joins as MANAGER (an agent manager profile).</summary>
    Manager,
}
