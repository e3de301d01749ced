namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>The container cannot be configured (a missing Secret or key): the kubelet reports CreateContainerConfigError with this message and retries.</summary>
public sealed class ContainerConfigException : Exception
{
    public ContainerConfigException() { }

    public ContainerConfigException(string message) : base(message) { }

    public ContainerConfigException(string message, Exception innerException) : base(message, innerException) { }
}
