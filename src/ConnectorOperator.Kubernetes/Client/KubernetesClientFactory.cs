using System.Text.Json;
using ConnectorOperator.Kubernetes.Config;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Client;

public static class KubernetesClientFactory
{
    /// <summary>A client for a discovered cluster: one pooled handler carrying its TLS settings and credentials.</summary>
    public static KubernetesClient Create(ClusterConnection connection, KubernetesClientOptions? options = null, JsonSerializerOptions? json = null,
        TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var handler = KubernetesHttpHandlerFactory.Create(connection, time);
        return new KubernetesClient(handler, connection.Server, options, json, time, loggers?.CreateLogger<KubernetesClient>());
    }
}
