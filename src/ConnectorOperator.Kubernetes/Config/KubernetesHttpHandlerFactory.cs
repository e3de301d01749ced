using System.Net;
using System.Net.Http;
using System.Net.Security;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Builds the one HTTP handler the client uses for a cluster: a pooled SocketsHttpHandler with the cluster's TLS
/// trust and client certificate, wrapped so every request carries the current credential.
/// Use it with <c>HttpClient.Timeout = Timeout.InfiniteTimeSpan</c> and per-request cancellation (watches are long).
/// </summary>
public static class KubernetesHttpHandlerFactory
{
    public static HttpMessageHandler Create(ClusterConnection connection, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = connection.Tls;
        var validator = new ServerCertificateValidator(tls, time ?? TimeProvider.System);
        var sslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = validator.Validate,
        };

        if (connection.Credentials is IClientCertificateSource rotating)
        {
            // Exec plugins may hand out a new certificate at any time; the handshake takes whichever is current.
            var fallback = tls.ClientCertificate;
            sslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => rotating.CurrentClientCertificate ?? fallback!;
        }
        else if (tls.ClientCertificate is { } certificate)
        {
            sslOptions.ClientCertificates = [certificate];
        }

        var sockets = new SocketsHttpHandler
        {
            // Recycle connections so DNS changes and rotated client certificates are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // HTTP/2 pings notice connections a load balancer dropped silently, which would stall watches.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            // Each watch holds an HTTP/2 stream; one connection's stream limit must not block new requests.
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.GZip,
            SslOptions = sslOptions,
        };

        HttpMessageHandler handler = sockets;
        if (connection.Credentials is { } credentials)
        {
            handler = new CredentialHandler(credentials) { InnerHandler = handler };
        }

        if (!string.IsNullOrEmpty(tls.ServerName))
        {
            handler = new TlsServerNameHandler(tls.ServerName) { InnerHandler = handler };
        }

        return handler;
    }
}
