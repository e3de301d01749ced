using Prometheus;

namespace ConnectorOperator.Observability;

/// <summary>The operator's telemetry set-up: its metrics registry with prometheus-net's process and GC collectors plus the thread pool.</summary>
public static class OperatorTelemetry
{
    public static OperatorMetrics CreateMetrics()
    {
        var metrics = new OperatorMetrics();
        DotNetStats.Register(metrics.Registry);
        ThreadPoolStats.Register(metrics.Registry);
        return metrics;
    }
}
