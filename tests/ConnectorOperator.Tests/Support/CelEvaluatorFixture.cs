using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.Tests.Support;

/// <summary>One Node CEL process for a test class; starting it costs more than all its evaluations.</summary>
public sealed class CelEvaluatorFixture : IDisposable
{
    public NodeCelEvaluator Evaluator { get; } = new(new NodeCelEvaluatorOptions { ToolDirectory = RepositoryFiles.PathOf("tools/cel") });

    public void Dispose() => Evaluator.Dispose();
}
