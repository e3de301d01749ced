using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ConnectorOperator.LocalCluster.Security;

/// <summary>Writes a one-cluster kubeconfig (context "apiserver-double", namespace default) for kubectl and our client.</summary>
internal static class KubeconfigWriter
{
    public static string Write(string path, Uri server, X509Certificate2? certificateAuthority, string? token, X509Certificate2? clientCertificate)
    {
        var builder = new StringBuilder();
        builder.AppendLine("apiVersion: v1");
        builder.AppendLine("kind: Config");
        builder.AppendLine("clusters:");
        builder.AppendLine("- name: apiserver-double");
        builder.AppendLine("  cluster:");
        builder.AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}");
        if (certificateAuthority is not null)
        {
            builder.AppendLine($"    certificate-authority-data: {Base64(certificateAuthority.ExportCertificatePem())}");
        }

        builder.AppendLine("contexts:");
        builder.AppendLine("- name: apiserver-double");
        builder.AppendLine("  context:");
        builder.AppendLine("    cluster: apiserver-double");
        builder.AppendLine("    user: apiserver-double");
        builder.AppendLine("    namespace: default");
        builder.AppendLine("current-context: apiserver-double");
        builder.AppendLine("preferences: {}");
        builder.AppendLine("users:");
        builder.AppendLine("- name: apiserver-double");
        if (token is null && clientCertificate is null)
        {
            builder.AppendLine("  user: {}");
        }
        else
        {
            builder.AppendLine("  user:");
            if (token is not null)
            {
                builder.AppendLine($"    token: \"{token.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
            }

            if (clientCertificate is not null)
            {
                builder.AppendLine($"    client-certificate-data: {Base64(clientCertificate.ExportCertificatePem())}");
                builder.AppendLine($"    client-key-data: {Base64(PrivateKeyPem(clientCertificate))}");
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, builder.ToString());
        return path;
    }

    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the client certificate has no private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
