namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// A credential could not be obtained at request time (exec plugin failed, token file unreadable).
/// Messages never contain a credential.
/// </summary>
public sealed class CredentialException : Exception
{
    public CredentialException()
    {
    }

    public CredentialException(string message)
        : base(message)
    {
    }

    public CredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
