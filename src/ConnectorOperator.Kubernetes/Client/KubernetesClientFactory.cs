using System.Text.Json;
using ConnectorOperator.Kubernetes.Config;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Client;

public static class KubernetesClientFactory
{
    /// <summary>A client for a discovered cluster, measured by <paramref name="requestMetrics"/> when given.</summary>
    public static KubernetesClient Create(ClusterConnection connection, KubernetesClientOptions? options = null, JsonSerializerOptions? json = null,
        TimeProvider? time = null, ILoggerFactory? loggers = null, IApiRequestMetrics? requestMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new KubernetesClient(connection.Configuration, options, json, time, loggers?.CreateLogger<KubernetesClient>(), requestMetrics);
    }
}
