using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public enum ClientKeyFormat
{
    RsaPkcs1,
    EcSec1,
    RsaPkcs8,
    EcPkcs8,
}

/// <summary>A throwaway PKI: a CA, server certificates and client certificates, as PEM for kubeconfigs.</summary>
internal sealed class TestPki
{
    private static readonly Lazy<TestPki> Shared = new(() => new TestPki("Test Cluster CA"));
    private static readonly Lazy<TestPki> Other = new(() => new TestPki("Unrelated CA"));

    public TestPki(string caName)
    {
        // EC keys for CA and servers: generating RSA keys is slow, and only client keys need both kinds.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        LocalhostServer = IssueServer(ipAddress: "127.0.0.1", dnsName: null);
        NamedServer = IssueServer(ipAddress: null, dnsName: "kube.test");
    }

    public static TestPki Cluster => Shared.Value;

    public static TestPki Unrelated => Other.Value;

    public X509Certificate2 Authority { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>Server certificate valid for 127.0.0.1.</summary>
    public X509Certificate2 LocalhostServer { get; }

    /// <summary>Server certificate valid only for the DNS name kube.test.</summary>
    public X509Certificate2 NamedServer { get; }

    public X509Certificate2 IssueServer(string? ipAddress, string? dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (ipAddress is not null)
        {
            san.AddIpAddress(System.Net.IPAddress.Parse(ipAddress));
        }

        if (dnsName is not null)
        {
            san.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        AddLeafExtensions(request);
        using var issued = Sign(request);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client certificate for <paramref name="user"/> and its key, both PEM.</summary>
    public (string CertificatePem, string KeyPem) IssueClient(string user, ClientKeyFormat format)
    {
        using AsymmetricAlgorithm key = format is ClientKeyFormat.RsaPkcs1 or ClientKeyFormat.RsaPkcs8
            ? RSA.Create(2048)
            : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest($"CN={user}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={user}", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        AddLeafExtensions(request);
        using var issued = Sign(request);
        var keyPem = format switch
        {
            ClientKeyFormat.RsaPkcs1 => ((RSA)key).ExportRSAPrivateKeyPem(),
            ClientKeyFormat.EcSec1 => ((ECDsa)key).ExportECPrivateKeyPem(),
            _ => key.ExportPkcs8PrivateKeyPem(),
        };
        return (issued.ExportCertificatePem(), keyPem);
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA and no other root.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private void AddLeafExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
    }

    /// <summary>Signs with the CA's EC key whatever the leaf's key algorithm (RSA client keys need the generator overload).</summary>
    private X509Certificate2 Sign(CertificateRequest request)
    {
        using var caKey = Authority.GetECDsaPrivateKey()!;
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        return request.Create(Authority.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), Serial());
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);
}
