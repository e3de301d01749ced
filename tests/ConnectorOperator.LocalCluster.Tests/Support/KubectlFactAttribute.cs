namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>A fact that is skipped, not failed, where kubectl is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!Kubectl.IsInstalled)
        {
            Skip = "kubectl is not installed";
        }
    }
}
