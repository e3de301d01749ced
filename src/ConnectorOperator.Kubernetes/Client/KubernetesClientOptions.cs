namespace ConnectorOperator.Kubernetes.Client;

/// <summary>Client behaviour, bindable from configuration ("Kubernetes:Client").</summary>
public sealed class KubernetesClientOptions
{
    /// <summary>Deadline for one non-watch request, including reading its body. Watches have none (see <see cref="WatchOptions.IdleTimeout"/>).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries for reads (get, list) on 429, 5xx and transport errors.</summary>
    public int MaxReadRetries { get; set; } = 4;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Client-side rate limit; null or 0 means none.</summary>
    public double? QueriesPerSecond { get; set; }

    public int Burst { get; set; } = 100;

    public string UserAgent { get; set; } = "connector-operator";

    /// <summary>fieldManager for writes that do not name one.</summary>
    public string FieldManager { get; set; } = "connector-operator";
}
