namespace ConnectorOperator.Kubernetes.Config;

/// <summary>A fixed bearer token (kubeconfig token, explicit option). Nothing to refresh.</summary>
public sealed class StaticTokenSource(string token) : ICredentialSource
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);

    public void Invalidate()
    {
    }
}
