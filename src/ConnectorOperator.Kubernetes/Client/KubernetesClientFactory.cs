using System.Text.Json;
using ConnectorOperator.Kubernetes.Config;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Client;

public static class KubernetesClientFactory
{
    /// <summary>
    /// A client for a discovered cluster: one pooled handler carrying its TLS settings and credentials, measured by
    /// <paramref name="requestMetrics"/> when given.
    /// </summary>
    public static KubernetesClient Create(ClusterConnection connection, KubernetesClientOptions? options = null, JsonSerializerOptions? json = null,
        TimeProvider? time = null, ILoggerFactory? loggers = null, IApiRequestMetrics? requestMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var handler = KubernetesHttpHandlerFactory.Create(connection, time);
        if (requestMetrics is not null) handler = new ApiRequestMetricsHandler(requestMetrics) { InnerHandler = handler };
        return new KubernetesClient(handler, connection.Server, options, json, time, loggers?.CreateLogger<KubernetesClient>());
    }
}
