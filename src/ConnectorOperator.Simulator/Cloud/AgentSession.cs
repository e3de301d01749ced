namespace ConnectorOperator.Simulator.Cloud;

/// <summary>One login of an agent user: bearer, csrf, cookie id, and whatever hangs off it.</summary>
internal sealed class AgentSession(string id, string bearer, string csrf, AgentUserRuntime user, DateTimeOffset startedAt, DateTimeOffset expiresAt, string loginMethod)
{
    public string Id { get; } = id;

    public string Bearer { get; } = bearer;

    public string Csrf { get; } = csrf;

    public AgentUserRuntime User { get; } = user;

    public string LoginMethod { get; } = loginMethod;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public DateTimeOffset? EndedAt { get; private set; }

    public string? EndReason { get; private set; }

    public int Refreshes { get; set; }

    public bool IsLive => EndedAt is null;

    public List<AgentConnection> Connections { get; } = [];

    public ChatAgentSession? ChatSession { get; set; }

    public void End(DateTimeOffset at, string reason)
    {
        EndedAt = at;
        EndReason = reason;
    }
}
