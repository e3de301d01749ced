using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Checks the API server's certificate. With configured CAs only those roots are trusted (a cluster CA must not
/// be satisfiable by some public CA, nor the reverse); without, the system store decides. The host name check
/// (against the URL host, or tls-server-name via the Host header) always applies unless verification is off.
/// </summary>
internal sealed class ServerCertificateValidator(TlsSettings tls, TimeProvider time)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (tls.InsecureSkipVerify)
        {
            return true;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        if (tls.CertificateAuthorities.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(tls.CertificateAuthorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        if (chain is not null)
        {
            // Intermediates the server sent; trust still comes only from CustomTrustStore.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2;
        using var loaded = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        try
        {
            return custom.Build(leaf ?? loaded!);
        }
        finally
        {
            foreach (var element in custom.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }
}
