namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Finds the cluster to talk to, first match wins: explicit options (Server, or KubeconfigPath), in-cluster
/// service account, the files in KUBECONFIG (merged), ~/.kube/config. Setting <see cref="ConnectionOptions.Context"/>
/// skips in-cluster detection, since a context only means something in a kubeconfig.
/// </summary>
public static class ClusterConnectionDiscovery
{
    public const string KubeconfigVariable = "KUBECONFIG";

    public static ClusterConnection Discover(ConnectionOptions? options = null, IEnvironment? env = null, TimeProvider? time = null)
    {
        options ??= new ConnectionOptions();
        env ??= SystemEnvironment.Instance;
        time ??= TimeProvider.System;

        if (!string.IsNullOrWhiteSpace(options.Server))
        {
            return FromOptions(options, env);
        }

        if (!string.IsNullOrWhiteSpace(options.KubeconfigPath))
        {
            var path = Path.GetFullPath(options.KubeconfigPath);
            if (!env.FileExists(path))
            {
                throw new KubeconfigException($"kubeconfig {path}: file not found ({ConnectionOptions.SectionName}:{nameof(ConnectionOptions.KubeconfigPath)})");
            }

            return FromKubeconfig([path], options.Context, env, time);
        }

        if (string.IsNullOrEmpty(options.Context) && InClusterConnection.TryCreate(env, time) is { } inCluster)
        {
            return inCluster;
        }

        var variable = env.GetVariable(KubeconfigVariable);
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var paths = variable
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var existing = paths.Where(env.FileExists).ToList();
            if (existing.Count == 0)
            {
                throw new KubeconfigException($"{KubeconfigVariable}={variable}: none of these files exists");
            }

            return FromKubeconfig(existing, options.Context, env, time);
        }

        if (env.HomeDirectory is { Length: > 0 } home)
        {
            var path = Path.Combine(home, ".kube", "config");
            if (env.FileExists(path))
            {
                return FromKubeconfig([path], options.Context, env, time);
            }
        }

        throw new KubeconfigException(
            $"no cluster configuration found: set {KubeconfigVariable}, create ~/.kube/config, run in a pod with a service account " +
            $"({InClusterConnection.HostVariable}/{InClusterConnection.PortVariable} and {env.ServiceAccountDirectory}/token), " +
            $"or set {ConnectionOptions.SectionName}:{nameof(ConnectionOptions.Server)}");
    }

    private static ClusterConnection FromKubeconfig(IReadOnlyList<string> paths, string? context, IEnvironment env, TimeProvider time)
    {
        var files = paths.Select(path => KubeconfigFile.Load(path, env)).ToList();
        return new KubeconfigResolver(MergedKubeconfig.Merge(files), env, time).Resolve(context);
    }

    private static ClusterConnection FromOptions(ConnectionOptions options, IEnvironment env)
    {
        var section = ConnectionOptions.SectionName;
        var server = ServerAddress.Parse(options.Server!)
            ?? throw new KubeconfigException($"{section}:{nameof(ConnectionOptions.Server)} \"{options.Server}\" is not an http(s) URL");

        var tls = new TlsSettings { InsecureSkipVerify = options.InsecureSkipTlsVerify };
        if (!string.IsNullOrWhiteSpace(options.CertificateAuthorityFile))
        {
            var path = Path.GetFullPath(options.CertificateAuthorityFile);
            if (!env.FileExists(path))
            {
                throw new KubeconfigException($"{section}:{nameof(ConnectionOptions.CertificateAuthorityFile)} file \"{path}\" not found");
            }

            try
            {
                tls = tls with { CertificateAuthorities = PemCertificates.LoadAuthorities(env.ReadAllText(path)) };
            }
            catch (FormatException ex)
            {
                throw new KubeconfigException($"{section}:{nameof(ConnectionOptions.CertificateAuthorityFile)} file \"{path}\": {ex.Message}", ex);
            }
        }

        return new ClusterConnection
        {
            Server = server,
            Tls = tls,
            Credentials = string.IsNullOrEmpty(options.Token) ? null : new StaticTokenSource(options.Token),
            Source = "explicit",
        };
    }
}
