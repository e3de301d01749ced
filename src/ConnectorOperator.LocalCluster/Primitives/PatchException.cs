namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>A patch the server could not apply: <see cref="StatusCode"/> is 400 (malformed), 409 (apply conflict) or 422 (failed to apply, e.g. a failed test op).</summary>
public sealed class PatchException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
