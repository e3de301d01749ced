namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>A fact that drives the real kubectl; reported as skipped, not passed, where kubectl is not on PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Program is null) Skip = "kubectl is not on PATH";
    }
}
