namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Where and how <see cref="NodeCelEvaluator"/> runs tools/cel/evaluate.mjs.</summary>
public sealed class NodeCelEvaluatorOptions
{
    /// <summary>The tools/cel folder (evaluate.mjs and its package.json); the host knows where it put it.</summary>
    public required string ToolDirectory { get; init; }

    public string NodeExecutable { get; init; } = "node";

    public string NpmExecutable { get; init; } = "npm";

    /// <summary>Longest wait for one batch's answer before the Node process is considered hung and restarted.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for <c>npm ci</c> (including waiting for another process that is running it).</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
