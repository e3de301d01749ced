namespace ConnectorOperator.TestSupport.Tools;

/// <summary>Debian's <c>promtool</c> (package <c>prometheus</c>): lints expositions and checks and tests alert rules.</summary>
public static class Promtool
{
    public static ExternalTool Tool { get; } = new("promtool");

    /// <summary><c>promtool check metrics</c> on an exposition: the exit code and what it reported (lint problems, parse errors).</summary>
    public static ToolResult CheckMetrics(string exposition) => Tool.Run(["check", "metrics"], stdin: exposition);

    /// <summary>Fails the test with promtool's words unless the exposition parses and lints clean.</summary>
    public static void AssertCleanMetrics(string exposition)
    {
        var result = CheckMetrics(exposition);
        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, $"promtool check metrics ({result.ExitCode}):\n{result.Output}");
    }
}

/// <summary>A fact that needs promtool; skipped (visibly), not failed, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (!Promtool.Tool.Exists) Skip = "promtool is not on PATH (Debian package prometheus)";
    }
}

/// <summary>A fact that needs Debian's Prometheus server binary; skipped (visibly) where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusServerFactAttribute : FactAttribute
{
    public static ExternalTool Server { get; } = new("prometheus");

    public PrometheusServerFactAttribute()
    {
        if (!Server.Exists) Skip = "prometheus is not on PATH (Debian package prometheus)";
    }
}
