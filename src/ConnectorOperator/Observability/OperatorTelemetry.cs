using System.IO.Compression;
using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace ConnectorOperator.Observability;

/// <summary>
/// The operator's telemetry set-up: the metrics registry (with prometheus-net's process and GC collectors and the
/// thread pool), console logs (one JSON object per line with <c>--Logging:Format=json</c>), and traces exported
/// over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables configure the exporter).
/// </summary>
public static class OperatorTelemetry
{
    /// <summary>Every trace source the operator starts spans from.</summary>
    public static readonly string[] TraceSources = [ReconcileActivity.SourceName, ApiRequestMetricsHandler.ActivitySourceName, ConnectorStatusPoller.ActivitySourceName];

    public static OperatorMetrics CreateMetrics()
    {
        var metrics = new OperatorMetrics();
        DotNetStats.Register(metrics.Registry);
        ThreadPoolStats.Register(metrics.Registry);
        return metrics;
    }

    /// <summary>
    /// gzip for scrapers that ask for it (Prometheus always does): the per-AgentConnector series repeat the same
    /// label text, so a 1,000-AgentConnector exposition shrinks about tenfold on the wire.
    /// </summary>
    public static void AddMetricsCompression(IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.MimeTypes = ["text/plain", "application/openmetrics-text"];
            o.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
    }

    /// <summary>Serves <paramref name="metrics"/> on <c>/metrics</c>, compressed as <see cref="AddMetricsCompression"/> set up.</summary>
    public static void MapMetricsEndpoint(WebApplication app, OperatorMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(metrics);
        app.UseResponseCompression();
        app.MapMetrics("/metrics", metrics.Registry);
    }

    /// <summary><c>Logging:Format</c> = <c>json</c> (one object per line, scopes carry the AgentConnector key) or <c>simple</c> (the default).</summary>
    public static void AddConsoleLogs(ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            return;
        }
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
    }

    /// <summary>Traces only when an OTLP endpoint is configured: with none, no spans are recorded at all.</summary>
    public static void AddTracing(IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("connector-operator"))
            .WithTracing(t => t.AddSource(TraceSources).AddOtlpExporter());
    }
}
