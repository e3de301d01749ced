namespace ConnectorOperator.Tests.Packaging;

/// <summary>A fact that needs kubectl (for its built-in kustomize); skipped, not failed, where kubectl is not on PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Path is null) Skip = "kubectl is not on PATH";
    }
}
