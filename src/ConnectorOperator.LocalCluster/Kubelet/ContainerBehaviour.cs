namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>What a simulated container does once its pod is scheduled.</summary>
public abstract record ContainerBehaviour
{
    private ContainerBehaviour() { }

    /// <summary>Starts and runs; readiness follows the pod's readiness probe when it has one.</summary>
    public sealed record Runs : ContainerBehaviour;

    /// <summary>Exits at once, again and again: CrashLoopBackOff with the given exit code.</summary>
    public sealed record Crashes(int ExitCode = 1, string Message = "container exited") : ContainerBehaviour;

    /// <summary>Never starts: ImagePullBackOff, CreateContainerConfigError, ...</summary>
    public sealed record NeverStarts(string Reason, string Message) : ContainerBehaviour;
}
