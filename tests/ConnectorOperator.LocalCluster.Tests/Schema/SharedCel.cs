using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

/// <summary>One Node process for the whole test run; it exits when the test host closes its stdin.</summary>
internal static class SharedCel
{
    public static NodeCelEvaluator Evaluator { get; } = new();
}
