using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.LocalCluster;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Benchmarks;

/// <summary>
/// Watch events per second end to end: the double replays N stored changes from its history over real HTTP
/// and our client decodes them into typed pods.
/// </summary>
[MemoryDiagnoser]
public class WatchThroughputBenchmarks
{
    private ApiServerDouble _server = null!;
    private KubernetesClient _client = null!;
    private string _fromVersion = "";

    [Params(2000)]
    public int Events { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await ApiServerDouble.StartAsync(new ApiServerOptions { WatchHistorySize = Events + 100, WatcherBufferSize = Events + 100 });
        _client = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress);
        _fromVersion = _server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < Events; i++)
        {
            var pod = JsonNode.Parse(SamplePods.Pod(i))!.AsObject();
            pod["metadata"]!["namespace"] = "default";
            pod["metadata"]!.AsObject().Remove("resourceVersion");
            pod["metadata"]!.AsObject().Remove("uid");
            pod["metadata"]!.AsObject().Remove("ownerReferences");
            _server.CreateObject(pod);
        }
    }

    [Benchmark]
    public async Task<int> ReplayWatchEvents()
    {
        var seen = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var ev in _client.WatchAsync<V1Pod>(ResourceType.Pod, "default", new WatchOptions { ResourceVersion = _fromVersion, AllowBookmarks = false, TimeoutSeconds = 60 }, cts.Token))
        {
            if (ev.Type == WatchEventType.Added && ++seen == Events) break;
        }
        return seen;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }
}
