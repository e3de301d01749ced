using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Checks the API server's certificate in place of KubernetesClient's own check, which accepts a certificate for
/// another host name whenever the chain also needed the cluster CA (<c>TlsConnectionTests</c>:
/// Certificate_for_another_name_is_rejected, Tls_server_name_not_matching_the_certificate_is_rejected). With
/// configured CAs only those roots are trusted; without, the system store decides; the name check always applies
/// unless verification is off.
/// </summary>
internal sealed class ServerCertificateValidator(X509Certificate2Collection? authorities, TimeProvider time)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            return false;
        if (authorities is not { Count: > 0 }) return errors == SslPolicyErrors.None;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        if (chain is not null)
        {
            // Intermediates the server sent; trust still comes only from CustomTrustStore.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1)) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        var leaf = certificate as X509Certificate2;
        using var loaded = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        try
        {
            return custom.Build(leaf ?? loaded!);
        }
        finally
        {
            foreach (var element in custom.ChainElements) element.Certificate.Dispose();
        }
    }
}
