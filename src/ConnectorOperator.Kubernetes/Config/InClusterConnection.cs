using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>The connection a pod gets from its service account: env vars for the address, mounted files for the rest.</summary>
internal static class InClusterConnection
{
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";

    /// <summary>Null when this is not a pod with a mounted service account token.</summary>
    public static ClusterConnection? TryCreate(IEnvironment environment, TimeProvider time)
    {
        var host = environment.GetVariable(HostVariable);
        var port = environment.GetVariable(PortVariable);
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(port))
        {
            return null;
        }

        var directory = environment.ServiceAccountDirectory;
        var tokenPath = Path.Combine(directory, "token");
        if (!environment.FileExists(tokenPath))
        {
            return null;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubeconfigException($"in-cluster: {PortVariable}=\"{port}\" is not a port number");
        }

        host = host.Trim();
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = $"[{host}]"; // IPv6 literal
        }

        if (!Uri.TryCreate($"https://{host}:{portNumber.ToString(CultureInfo.InvariantCulture)}", UriKind.Absolute, out var server))
        {
            throw new KubeconfigException($"in-cluster: {HostVariable}=\"{host}\" is not a host name or address");
        }

        return new ClusterConnection
        {
            Server = server,
            DefaultNamespace = ReadNamespace(environment, directory),
            Tls = new TlsSettings { CertificateAuthorities = ReadAuthorities(environment, directory) },
            Credentials = new FileTokenSource(tokenPath, environment, time),
            Source = "in-cluster",
        };
    }

    private static X509Certificate2Collection ReadAuthorities(IEnvironment environment, string directory)
    {
        var path = Path.Combine(directory, "ca.crt");
        if (!environment.FileExists(path))
        {
            return [];
        }

        try
        {
            return PemCertificates.LoadAuthorities(environment.ReadAllText(path));
        }
        catch (FormatException ex)
        {
            throw new KubeconfigException($"in-cluster: {path}: {ex.Message}", ex);
        }
    }

    private static string? ReadNamespace(IEnvironment environment, string directory)
    {
        var path = Path.Combine(directory, "namespace");
        var value = environment.FileExists(path) ? environment.ReadAllText(path).Trim() : environment.GetVariable("POD_NAMESPACE");
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
