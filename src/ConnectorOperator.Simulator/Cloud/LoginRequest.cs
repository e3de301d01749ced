namespace ConnectorOperator.Simulator.Cloud;

internal sealed record LoginRequest(
    string? Username,
    string? Password,
    string? AppKey,
    string? Secret,
    string? AccessToken,
    string? AccessTokenSecret);

internal sealed record LoginOutcome(AgentSession? Session, string? Error);
