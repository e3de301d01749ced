using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Everything needed to talk to one API server: where, how to trust it, and who we are.
/// Produced by discovery (explicit options, in-cluster, KUBECONFIG, ~/.kube/config) and consumed by the client.
/// </summary>
public sealed record ClusterConnection
{
    public required Uri Server { get; init; }

    /// <summary>The context's namespace, or the service account's namespace in-cluster.</summary>
    public string? DefaultNamespace { get; init; }

    public TlsSettings Tls { get; init; } = new();

    /// <summary>Bearer token source; null for anonymous or client-certificate-only access.</summary>
    public ICredentialSource? Credentials { get; init; }

    /// <summary>Human-readable origin, e.g. "kubeconfig /home/x/.kube/config context kind-dev" or "in-cluster".</summary>
    public string Source { get; init; } = "explicit";
}

public sealed record TlsSettings
{
    /// <summary>Roots to trust instead of the system store; empty means the system store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    public bool InsecureSkipVerify { get; init; }

    /// <summary>kubeconfig's tls-server-name: the name to send in SNI and check the certificate against.</summary>
    public string? ServerName { get; init; }

    /// <summary>Client certificate with its private key, if the user authenticates by certificate.</summary>
    public X509Certificate2? ClientCertificate { get; init; }
}

/// <summary>Supplies the bearer token for each request. Implementations cache and refresh (token files, exec plugins).</summary>
public interface ICredentialSource
{
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The Authorization header for the next request. Defaults to "Bearer" + <see cref="GetTokenAsync"/>;
    /// sources with another scheme (basic auth) override it. Null sends no header.
    /// </summary>
    async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Called after a 401 so the next call fetches a fresh token.</summary>
    void Invalidate();
}
