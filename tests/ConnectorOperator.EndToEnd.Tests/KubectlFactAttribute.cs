namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>A test that drives the real kubectl: skipped, visibly, where none is on PATH.</summary>
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "kubectl")));
        if (!found) Skip = "kubectl is not installed";
    }
}
