using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.LocalCluster.Security;

/// <summary>A throwaway CA that signs the serving certificate (SAN 127.0.0.1, ::1, localhost) and client certificates.</summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority Create(string commonName = "apiserver-double-ca")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        var publicOnly = X509CertificateLoader.LoadCertificate(selfSigned.Export(X509ContentType.Cert));
        return new CertificateAuthority(publicOnly, key);
    }

    /// <summary>A serving certificate (with private key) for the loopback addresses.</summary>
    public X509Certificate2 IssueServingCertificate()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        return Issue("CN=apiserver-double", san.Build(), "1.3.6.1.5.5.7.3.1");
    }

    /// <summary>A client certificate (with private key); the apiserver reads CN as the user and O as groups.</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups)
    {
        var subject = $"CN={user}" + string.Concat(groups.Select(g => $", O={g}"));
        return Issue(subject, null, "1.3.6.1.5.5.7.3.2");
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Issue(string subject, X509Extension? san, string usageOid)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        using var signed = request.Create(Certificate.SubjectName, generator, now.AddMinutes(-5), now.AddDays(30), serial);
        using var withKey = signed.CopyWithPrivateKey(key);

        // A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="root"/> (and only to it).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
