namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// What the simulated kubelet runs for a pod (a fake connector): it serves the pod's address until it is disposed
/// (the pod stops) or it exits by itself (a crash, which the kubelet answers with CrashLoopBackOff and a restart).
/// </summary>
public interface ISimulatedContainer : IAsyncDisposable
{
    /// <summary>Completes with the exit code when the container exits on its own.</summary>
    Task<int> Exited { get; }
}
