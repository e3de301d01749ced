using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

/// <summary>One Node process for the whole test run; it exits when the test host closes its stdin.</summary>
internal static class SharedCel
{
    /// <summary>tools/cel of the repository these tests were built in.</summary>
    public static string ToolDirectory { get; } = FindToolDirectory();

    // After ToolDirectory: static initializers run in declaration order.
    public static NodeCelEvaluator Evaluator { get; } = new(new NodeCelEvaluatorOptions { ToolDirectory = ToolDirectory });

    private static string FindToolDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tool = Path.Combine(dir.FullName, "tools", "cel");
            if (File.Exists(Path.Combine(tool, "evaluate.mjs"))) return tool;
        }
        throw new InvalidOperationException($"no tools/cel above {AppContext.BaseDirectory}");
    }
}
