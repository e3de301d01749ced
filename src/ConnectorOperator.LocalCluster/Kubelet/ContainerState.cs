namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>A container's state as pod status shows it.</summary>
public abstract record ContainerState
{
    private ContainerState() { }

    public sealed record Running(DateTimeOffset StartedAt) : ContainerState;

    /// <summary>Not running: ContainerCreating, CrashLoopBackOff, CreateContainerConfigError, ErrImagePull, ...</summary>
    public sealed record Waiting(string Reason, string? Message = null) : ContainerState;

    public sealed record Terminated(int ExitCode, string Reason, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Message = null) : ContainerState
    {
        /// <summary>The kubelet's reasons: Completed for exit code 0, Error otherwise (OOMKilled does not happen here).</summary>
        public static Terminated Of(int exitCode, DateTimeOffset startedAt, DateTimeOffset finishedAt, string? message = null) =>
            new(exitCode, exitCode == 0 ? "Completed" : "Error", startedAt, finishedAt, message);
    }
}
