namespace ConnectorOperator.Kubernetes.Config;

/// <summary>A kubeconfig user's <c>exec</c> block, validated, with paths already resolved.</summary>
public sealed record ExecPluginSettings
{
    public const string ApiVersionV1 = "client.authentication.k8s.io/v1";
    public const string ApiVersionV1Beta1 = "client.authentication.k8s.io/v1beta1";

    public required string ApiVersion { get; init; }

    public required string Command { get; init; }

    /// <summary>Passed one by one (ProcessStartInfo.ArgumentList), never through a shell.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Added to the plugin's environment, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Shown when the command cannot be started, e.g. how to install it.</summary>
    public string? InstallHint { get; init; }

    /// <summary>Sent as spec.cluster in KUBERNETES_EXEC_INFO when the user set provideClusterInfo.</summary>
    public ExecClusterInfo? Cluster { get; init; }

    /// <summary>The kubeconfig user name, for error messages.</summary>
    public string UserName { get; init; } = "";

    /// <summary>How long one plugin run may take before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>The cluster fields an exec plugin may ask for (provideClusterInfo).</summary>
public sealed record ExecClusterInfo
{
    public required string Server { get; init; }

    public string? TlsServerName { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>PEM bytes of the cluster's CA bundle.</summary>
    public byte[]? CertificateAuthorityData { get; init; }

    public string? ProxyUrl { get; init; }

    /// <summary>JSON of the cluster's "client.authentication.k8s.io/exec" extension, sent as spec.cluster.config.</summary>
    public string? ConfigJson { get; init; }
}
