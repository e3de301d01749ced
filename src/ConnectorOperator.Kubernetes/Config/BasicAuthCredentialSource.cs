using System.Net.Http.Headers;
using System.Text;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>kubeconfig username/password: sends "Authorization: Basic ..." and no bearer token.</summary>
public sealed class BasicAuthCredentialSource : ICredentialSource
{
    private readonly AuthenticationHeaderValue _header;

    public BasicAuthCredentialSource(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        _header = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuthenticationHeaderValue?>(_header);

    public void Invalidate()
    {
    }
}
