namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>What a kubelet knows about a pod's one container; <see cref="PodStatusBuilder"/> turns it into pod status.</summary>
public sealed record ContainerView(ContainerState State, bool Ready = false, bool Started = false, int RestartCount = 0, ContainerState.Terminated? LastTerminated = null);
