using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Finds the cluster to talk to, first match wins: explicit options (Server, or KubeconfigPath), in-cluster
/// service account, the files in KUBECONFIG (merged), ~/.kube/config. Setting <see cref="ConnectionOptions.Context"/>
/// skips in-cluster detection, since a context only means something in a kubeconfig. The loading itself (kubeconfig
/// users, exec plugins, token files, certificates) is KubernetesClient's <see cref="KubernetesClientConfiguration"/>;
/// only the order and the error messages are ours.
/// </summary>
public static class ClusterConnectionDiscovery
{
    public const string KubeconfigVariable = "KUBECONFIG";
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";

    public static ClusterConnection Discover(ConnectionOptions? options = null, IEnvironment? env = null)
    {
        options ??= new ConnectionOptions();
        env ??= SystemEnvironment.Instance;

        if (!string.IsNullOrWhiteSpace(options.Server)) return FromOptions(options, env);

        if (!string.IsNullOrWhiteSpace(options.KubeconfigPath))
        {
            var path = Path.GetFullPath(options.KubeconfigPath);
            if (!env.FileExists(path))
                throw new KubeconfigException($"kubeconfig {path}: file not found ({ConnectionOptions.SectionName}:{nameof(ConnectionOptions.KubeconfigPath)})");
            return FromKubeconfig([path], options.Context);
        }

        if (string.IsNullOrEmpty(options.Context) && InCluster(env) is { } inCluster) return inCluster;

        var variable = env.GetVariable(KubeconfigVariable);
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var paths = variable
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var existing = paths.Where(env.FileExists).ToList();
            if (existing.Count == 0) throw new KubeconfigException($"{KubeconfigVariable}={variable}: none of these files exists");
            return FromKubeconfig(existing, options.Context);
        }

        if (env.HomeDirectory is { Length: > 0 } home && Path.Combine(home, ".kube", "config") is var config && env.FileExists(config))
            return FromKubeconfig([config], options.Context);

        throw new KubeconfigException(
            $"no cluster configuration found: set {KubeconfigVariable}, create ~/.kube/config, run in a pod with a service account " +
            $"({HostVariable}/{PortVariable} and {env.ServiceAccountDirectory}/token), " +
            $"or set {ConnectionOptions.SectionName}:{nameof(ConnectionOptions.Server)}");
    }

    private static ClusterConnection FromKubeconfig(IReadOnlyList<string> paths, string? context)
    {
        var source = $"kubeconfig {string.Join(Path.PathSeparator, paths)}";
        try
        {
            var merged = Merge([.. paths.Select(p => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(p), useRelativePaths: true))]);
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
            return new ClusterConnection(configuration, $"{source} context {context ?? merged.CurrentContext}");
        }
        catch (Exception e) when (e is KubeConfigException or IOException or FormatException or YamlDotNet.Core.YamlException
            or System.Security.Cryptography.CryptographicException)
        {
            throw new KubeconfigException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>
    /// KUBECONFIG's merge rule (the library's own merge is internal): per cluster, user and context name the first
    /// file wins; current-context comes from the first file that sets one.
    /// </summary>
    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files)
    {
        if (files.Count == 1) return files[0];
        static List<T> FirstByName<T>(IEnumerable<IEnumerable<T>?> lists, Func<T, string?> name) =>
            [.. lists.SelectMany(l => l ?? []).GroupBy(name, StringComparer.Ordinal).Select(g => g.First())];
        var merged = files[0];
        merged.CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        merged.Clusters = FirstByName(files.Select(f => f.Clusters), c => c.Name);
        merged.Users = FirstByName(files.Select(f => f.Users), u => u.Name);
        merged.Contexts = FirstByName(files.Select(f => f.Contexts), c => c.Name);
        return merged;
    }

    /// <summary>
    /// The pod's service account, as the library builds it (a token file re-read as the kubelet rotates it, the
    /// cluster CA), from <see cref="IEnvironment.ServiceAccountDirectory"/> so tests can place the files.
    /// </summary>
    private static ClusterConnection? InCluster(IEnvironment env)
    {
        var (host, port) = (env.GetVariable(HostVariable), env.GetVariable(PortVariable));
        var token = Path.Combine(env.ServiceAccountDirectory, "token");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port) || !env.FileExists(token)) return null;
        if (!int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var portNumber))
            throw new KubeconfigException($"in-cluster: {PortVariable}={port} is not a port number");
        var ca = Path.Combine(env.ServiceAccountDirectory, "ca.crt");
        var ns = Path.Combine(env.ServiceAccountDirectory, "namespace");
        var configuration = new KubernetesClientConfiguration
        {
            Host = new UriBuilder("https", host, portNumber).Uri.ToString(),
            TokenProvider = new TokenFileAuth(token),
            SslCaCerts = env.FileExists(ca) ? LoadAuthorities(ca, "in-cluster") : null,
            Namespace = env.FileExists(ns) ? env.ReadAllText(ns).Trim() : null,
        };
        return new ClusterConnection(configuration, "in-cluster");
    }

    private static ClusterConnection FromOptions(ConnectionOptions options, IEnvironment env)
    {
        var section = ConnectionOptions.SectionName;
        var server = options.Server!.Contains("://", StringComparison.Ordinal) ? options.Server : "https://" + options.Server;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new KubeconfigException($"{section}:{nameof(ConnectionOptions.Server)} \"{options.Server}\" is not an http(s) URL");

        var configuration = new KubernetesClientConfiguration
        {
            Host = uri.ToString(),
            SkipTlsVerify = options.InsecureSkipTlsVerify,
            AccessToken = string.IsNullOrEmpty(options.Token) ? null : options.Token,
        };
        if (!string.IsNullOrWhiteSpace(options.CertificateAuthorityFile))
        {
            var path = Path.GetFullPath(options.CertificateAuthorityFile);
            if (!env.FileExists(path))
                throw new KubeconfigException($"{section}:{nameof(ConnectionOptions.CertificateAuthorityFile)} file \"{path}\" not found");
            configuration.SslCaCerts = LoadAuthorities(path, $"{section}:{nameof(ConnectionOptions.CertificateAuthorityFile)} file \"{path}\"");
        }
        return new ClusterConnection(configuration, "explicit");
    }

    private static X509Certificate2Collection LoadAuthorities(string path, string what)
    {
        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(path);
            return authorities.Count > 0 ? authorities : throw new FormatException("no CERTIFICATE block");
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or FormatException)
        {
            throw new KubeconfigException($"{what}: no PEM certificate could be read ({e.Message})", e);
        }
    }
}
