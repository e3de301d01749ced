namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>One field problem; <see cref="Path"/> is the API's field path ("spec.agentUsers[0].loginName").</summary>
public sealed record FieldError(string Path, FieldErrorType Type, string Message);
