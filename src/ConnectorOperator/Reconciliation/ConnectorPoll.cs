namespace ConnectorOperator.Reconciliation;

/// <summary>The outcome of one poll of a connector's GET /status: its report, or why there is none.</summary>
public sealed record ConnectorPoll(ConnectorStatusReport? Report, string? Error);
