using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// A credential source that also yields a client certificate which can change at run time (exec plugins).
/// The TLS handshake picks <see cref="CurrentClientCertificate"/>; the credential handler refreshes it first.
/// </summary>
public interface IClientCertificateSource
{
    X509Certificate2? CurrentClientCertificate { get; }
}
