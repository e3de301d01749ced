using System.Globalization;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Applies kubeconfig's tls-server-name. SocketsHttpHandler derives the TLS target host (SNI and the certificate
/// name check) from the Host header and overwrites SslOptions.TargetHost, so the Host header is the lever.
/// The API server does not route on Host, so the changed header is harmless.
/// </summary>
internal sealed class TlsServerNameHandler(string serverName) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && request.Headers.Host is null)
        {
            request.Headers.Host = uri.IsDefaultPort ? serverName : $"{serverName}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        }

        return base.SendAsync(request, cancellationToken);
    }
}
