using System.Net;
using BenchmarkDotNet.Attributes;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Observability;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Benchmarks;

/// <summary>
/// One scrape of the operator's /metrics over loopback HTTP with the series of N AgentConnectors (each with
/// every per-AgentConnector metric set and a scale event), the operator-wide series a busy operator has, and
/// the process, GC and thread pool collectors. The exposition's size is printed at setup.
/// </summary>
[MemoryDiagnoser]
public class OperatorScrapeBenchmarks
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [Params(1_000)]
    public int AgentConnectors { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var metrics = OperatorTelemetry.CreateMetrics();
        for (var i = 0; i < AgentConnectors; i++)
        {
            var connector = new AgentConnector
            {
                Metadata = new V1ObjectMeta { NamespaceProperty = $"team-{i % 20}", Name = $"connector-{i}" },
                Spec = new AgentConnectorSpec { Environment = i % 2 == 0 ? DeploymentEnvironment.Production : DeploymentEnvironment.Demo, ConversationType = ConversationType.Messaging },
            };
            metrics.ConnectorObserved(connector, new AgentConnectorStatus
            {
                State = ConnectorState.Online,
                DesiredReplicas = 3,
                ReadyReplicas = 3,
                ActiveConversations = 120,
                WaitingConversations = 4,
                Capacity = 150,
            });
            metrics.Scaled(ObjectKey.Of(connector), up: true);
        }
        string[] verbs = ["get", "list", "watch", "create", "update", "patch", "delete"];
        string[] resources = ["agentconnectors", "agentconnectors/status", "pods", "secrets", "poddisruptionbudgets", "leases", "events"];
        foreach (var verb in verbs)
            foreach (var resource in resources)
                metrics.Observed(verb, resource, "200", TimeSpan.FromMilliseconds(4));
        foreach (var result in new[] { "success", "requeue", "error" }) metrics.Reconciled(result, TimeSpan.FromMilliseconds(12));
        foreach (var resource in resources.Take(5))
        {
            metrics.Listed(resource, "initial");
            metrics.Restarted(resource, "closed");
        }
        metrics.StatusPolled("ok");
        metrics.Leading(true);

        // The operator's own endpoint set-up (gzip included); the client asks for gzip as Prometheus does.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        OperatorTelemetry.AddMetricsCompression(builder.Services);
        _app = builder.Build();
        OperatorTelemetry.MapMetricsEndpoint(_app, metrics);
        await _app.StartAsync();
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(_app.Urls.First()) };
        _http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
        var wire = await ScrapeOperatorMetrics();
        using var plain = new HttpClient { BaseAddress = _http.BaseAddress };
        var text = await plain.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var samples = text.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        Console.WriteLine($"// exposition with {AgentConnectors} AgentConnectors: {wire:N0} bytes gzip on the wire, {text.Length:N0} bytes uncompressed, {samples:N0} samples");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Benchmark]
    public async Task<int> ScrapeOperatorMetrics()
    {
        using var response = await _http.GetAsync(new Uri("/metrics", UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/metrics answered {response.StatusCode}");
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }
}
