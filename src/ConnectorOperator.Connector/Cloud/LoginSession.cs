namespace ConnectorOperator.Connector.Cloud;

/// <summary>A logged-in agent session. ToString never shows the bearer, csrf or cookie.</summary>
public sealed record LoginSession(string Bearer, string Csrf, string? SessionCookie, string UserId, string LoginName)
{
    public override string ToString() => $"session of {LoginName} ({UserId})";
}
