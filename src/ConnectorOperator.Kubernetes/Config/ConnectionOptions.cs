namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Explicit connection settings, bindable from the configuration section <see cref="SectionName"/>.
/// Anything left unset falls back to discovery (in-cluster, KUBECONFIG, ~/.kube/config).
/// </summary>
public sealed class ConnectionOptions
{
    public const string SectionName = "Kubernetes";

    /// <summary>API server URL. When set, no kubeconfig or in-cluster files are read.</summary>
    public string? Server { get; set; }

    /// <summary>Bearer token used with <see cref="Server"/>.</summary>
    public string? Token { get; set; }

    /// <summary>PEM file with the roots to trust for <see cref="Server"/>.</summary>
    public string? CertificateAuthorityFile { get; set; }

    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>One kubeconfig file to use instead of KUBECONFIG and ~/.kube/config.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>Kubeconfig context to use instead of current-context. Setting it skips in-cluster detection.</summary>
    public string? Context { get; set; }
}
