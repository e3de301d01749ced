using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>Turns kubeconfig PEM text into certificates. Errors carry a short reason; callers add file and field.</summary>
internal static class PemCertificates
{
    /// <summary>All CERTIFICATE blocks in the PEM text (CA bundles often hold several).</summary>
    public static X509Certificate2Collection LoadAuthorities(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"invalid PEM certificate: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new FormatException("no PEM certificate found");
        }

        return collection;
    }

    /// <summary>
    /// Certificate plus private key (RSA, EC, PKCS#8). The PEM-loaded key is ephemeral; a PKCS#12 round trip
    /// gives a key that SslStream can use for client authentication on every platform.
    /// </summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePem, string keyPem)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            var pkcs12 = ephemeral.Export(X509ContentType.Pkcs12);
            return X509CertificateLoader.LoadPkcs12(pkcs12, password: null);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"invalid client certificate or key: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"invalid client certificate or key: {ex.Message}", ex);
        }
    }
}
