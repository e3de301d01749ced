using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>Turns one context of a (merged) kubeconfig into a <see cref="ClusterConnection"/>.</summary>
internal sealed class KubeconfigResolver(MergedKubeconfig config, IEnvironment environment, TimeProvider time)
{
    public ClusterConnection Resolve(string? contextName)
    {
        var name = string.IsNullOrEmpty(contextName) ? config.CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeconfigException($"kubeconfig {config.FileList}: no current-context is set and no context was given");
        }

        if (!config.Contexts.TryGetValue(name, out var contextEntry))
        {
            throw new KubeconfigException($"context \"{name}\" not found in {config.FileList}");
        }

        var context = new YamlSection(contextEntry.Node, $"kubeconfig {contextEntry.File}: context \"{name}\"");
        var clusterName = context.String("cluster");
        if (string.IsNullOrEmpty(clusterName))
        {
            throw context.Error("field \"cluster\" is not set");
        }

        if (!config.Clusters.TryGetValue(clusterName, out var clusterEntry))
        {
            throw context.Error($"cluster \"{clusterName}\" not found in {config.FileList}");
        }

        var cluster = ReadCluster(clusterName, clusterEntry);
        var tls = new TlsSettings
        {
            CertificateAuthorities = cluster.Authorities,
            InsecureSkipVerify = cluster.Insecure,
            ServerName = cluster.TlsServerName,
        };

        ICredentialSource? credentials = null;
        var userName = context.String("user");
        if (!string.IsNullOrEmpty(userName))
        {
            if (!config.Users.TryGetValue(userName, out var userEntry))
            {
                throw context.Error($"user \"{userName}\" not found in {config.FileList}");
            }

            (credentials, var clientCertificate) = ReadUser(userName, userEntry, cluster);
            tls = tls with { ClientCertificate = clientCertificate };
        }

        return new ClusterConnection
        {
            Server = cluster.Server,
            DefaultNamespace = context.String("namespace"),
            Tls = tls,
            Credentials = credentials,
            Source = $"kubeconfig {config.FileList} context {name}",
        };
    }

    private ClusterFields ReadCluster(string name, DefinedEntry entry)
    {
        var cluster = new YamlSection(entry.Node, $"kubeconfig {entry.File}: cluster \"{name}\"");
        var serverText = cluster.String("server");
        if (string.IsNullOrWhiteSpace(serverText))
        {
            throw cluster.Error("field \"server\" is not set");
        }

        var server = ServerAddress.Parse(serverText) ?? throw cluster.Error($"server \"{serverText}\" is not an http(s) URL");

        // proxy-url is deliberately not applied (the operator talks to the API server directly); it is only
        // passed on to exec plugins that ask for cluster info.
        var caPem = ReadPem(cluster, "certificate-authority-data", "certificate-authority", entry.Directory);
        var authorities = new X509Certificate2Collection();
        if (caPem is not null)
        {
            try
            {
                authorities = PemCertificates.LoadAuthorities(caPem.Text);
            }
            catch (FormatException ex)
            {
                throw cluster.Error($"{caPem.Origin}: {ex.Message}");
            }
        }

        return new ClusterFields(
            server,
            serverText,
            authorities,
            caPem is null ? null : Encoding.UTF8.GetBytes(caPem.Text),
            cluster.Bool("insecure-skip-tls-verify"),
            cluster.String("tls-server-name"),
            cluster.String("proxy-url"),
            ReadExecExtension(cluster));
    }

    /// <summary>The cluster's per-plugin settings: the extension named client.authentication.k8s.io/exec.</summary>
    private static string? ReadExecExtension(YamlSection cluster)
    {
        foreach (var item in cluster.Sequence("extensions"))
        {
            if (item is YamlDotNet.RepresentationModel.YamlMappingNode extensionNode)
            {
                var extension = new YamlSection(extensionNode, cluster.Where);
                if (extension.String("name") == "client.authentication.k8s.io/exec"
                    && extensionNode.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("extension"), out var body))
                {
                    return YamlToJson.Convert(body);
                }
            }
        }

        return null;
    }

    private (ICredentialSource? Credentials, X509Certificate2? Certificate) ReadUser(string name, DefinedEntry entry, ClusterFields cluster)
    {
        var user = new YamlSection(entry.Node, $"kubeconfig {entry.File}: user \"{name}\"");
        if (user.Section("auth-provider", user.Where) is { } provider)
        {
            var providerName = provider.String("name") ?? "unnamed";
            throw user.Error($"auth-provider \"{providerName}\" is not supported; use an exec credential plugin instead (e.g. gke-gcloud-auth-plugin, kubelogin)");
        }

        var hasToken = user.Has("token") || user.Has("tokenFile");
        var hasBasic = user.Has("username") || user.Has("password");
        var exec = user.Section("exec", $"{user.Where}: exec");
        if ((hasToken ? 1 : 0) + (hasBasic ? 1 : 0) + (exec is null ? 0 : 1) > 1)
        {
            throw user.Error("more than one authentication method is set (token/tokenFile, username/password, exec); keep one");
        }

        var certificate = ReadClientCertificate(user, entry.Directory);
        ICredentialSource? credentials = null;
        if (user.String("tokenFile") is { Length: > 0 } tokenFile)
        {
            // Like client-go, a token file wins over an inline token: it is the one that gets rotated.
            var path = ResolvePath(tokenFile, entry.Directory);
            if (!environment.FileExists(path))
            {
                throw user.Error($"tokenFile \"{path}\" not found");
            }

            credentials = new FileTokenSource(path, environment, time);
        }
        else if (user.String("token") is { Length: > 0 } token)
        {
            credentials = new StaticTokenSource(token);
        }
        else if (hasBasic)
        {
            var username = user.String("username") ?? throw user.Error("field \"password\" is set but \"username\" is not");
            var password = user.String("password") ?? throw user.Error("field \"username\" is set but \"password\" is not");
            credentials = new BasicAuthCredentialSource(username, password);
        }
        else if (exec is { } execSection)
        {
            credentials = new ExecCredentialSource(ReadExec(name, execSection, entry.Directory, cluster), time);
        }

        return (credentials, certificate);
    }

    private X509Certificate2? ReadClientCertificate(YamlSection user, string directory)
    {
        var certificatePem = ReadPem(user, "client-certificate-data", "client-certificate", directory);
        var keyPem = ReadPem(user, "client-key-data", "client-key", directory);
        if (certificatePem is null && keyPem is null)
        {
            return null;
        }

        if (certificatePem is null)
        {
            throw user.Error("client-key is set but client-certificate is not");
        }

        if (keyPem is null)
        {
            throw user.Error("client-certificate is set but client-key is not");
        }

        try
        {
            return PemCertificates.LoadClientCertificate(certificatePem.Text, keyPem.Text);
        }
        catch (FormatException ex)
        {
            throw user.Error($"{certificatePem.Origin} / {keyPem.Origin}: {ex.Message}");
        }
    }

    private static ExecPluginSettings ReadExec(string userName, YamlSection exec, string directory, ClusterFields cluster)
    {
        var apiVersion = exec.String("apiVersion");
        if (apiVersion is not (ExecPluginSettings.ApiVersionV1 or ExecPluginSettings.ApiVersionV1Beta1))
        {
            throw exec.Error($"apiVersion \"{apiVersion}\" is not supported; use {ExecPluginSettings.ApiVersionV1} or {ExecPluginSettings.ApiVersionV1Beta1}");
        }

        var command = exec.String("command");
        if (string.IsNullOrWhiteSpace(command))
        {
            throw exec.Error("field \"command\" is not set");
        }

        switch (exec.String("interactiveMode"))
        {
            case null or "Never" or "IfAvailable":
                break;
            case "Always":
                throw exec.Error("interactiveMode Always needs a terminal, but this client never runs plugins interactively");
            case var other:
                throw exec.Error($"interactiveMode \"{other}\" is not one of Never, IfAvailable, Always");
        }

        var environment = new List<KeyValuePair<string, string>>();
        foreach (var item in exec.Sequence("env"))
        {
            if (item is not YamlDotNet.RepresentationModel.YamlMappingNode variableNode)
            {
                throw exec.Error("every entry of \"env\" must be a mapping with name and value");
            }

            var variable = new YamlSection(variableNode, exec.Where);
            var variableName = variable.String("name");
            if (string.IsNullOrEmpty(variableName))
            {
                throw exec.Error("an entry of \"env\" has no name");
            }

            environment.Add(new(variableName, variable.String("value") ?? ""));
        }

        // A command with a directory part is relative to the kubeconfig that names it, as in kubectl;
        // a bare name is looked up on PATH.
        if (command.Contains('/', StringComparison.Ordinal) || command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            command = ResolvePath(command, directory);
        }

        return new ExecPluginSettings
        {
            ApiVersion = apiVersion,
            Command = command,
            Args = exec.StringList("args"),
            Environment = environment,
            InstallHint = exec.String("installHint"),
            UserName = userName,
            Cluster = exec.Bool("provideClusterInfo")
                ? new ExecClusterInfo
                {
                    Server = cluster.ServerText,
                    TlsServerName = cluster.TlsServerName,
                    InsecureSkipTlsVerify = cluster.Insecure,
                    CertificateAuthorityData = cluster.AuthorityPem,
                    ProxyUrl = cluster.ProxyUrl,
                    ConfigJson = cluster.ExecExtensionJson,
                }
                : null,
        };
    }

    /// <summary>Inline base64 data wins over a file, as in client-go.</summary>
    private PemText? ReadPem(YamlSection section, string dataKey, string fileKey, string directory)
    {
        if (section.String(dataKey) is { Length: > 0 } data)
        {
            try
            {
                return new PemText(Encoding.UTF8.GetString(Convert.FromBase64String(data.Trim())), dataKey);
            }
            catch (FormatException)
            {
                throw section.Error($"field \"{dataKey}\" is not valid base64");
            }
        }

        if (section.String(fileKey) is not { Length: > 0 } file)
        {
            return null;
        }

        var path = ResolvePath(file, directory);
        if (!environment.FileExists(path))
        {
            throw section.Error($"{fileKey} file \"{path}\" not found");
        }

        try
        {
            return new PemText(environment.ReadAllText(path), $"{fileKey} file \"{path}\"");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw section.Error($"{fileKey} file \"{path}\" cannot be read: {ex.Message}");
        }
    }

    private static string ResolvePath(string path, string directory) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(directory, path));

    private sealed record PemText(string Text, string Origin);

    private sealed record ClusterFields(
        Uri Server,
        string ServerText,
        X509Certificate2Collection Authorities,
        byte[]? AuthorityPem,
        bool Insecure,
        string? TlsServerName,
        string? ProxyUrl,
        string? ExecExtensionJson);
}
