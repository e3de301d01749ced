namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// The cluster connection could not be worked out: a kubeconfig, in-cluster file or option is missing or wrong.
/// Messages name the file and the field, never a credential.
/// </summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException()
    {
    }

    public KubeconfigException(string message)
        : base(message)
    {
    }

    public KubeconfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
