using BenchmarkDotNet.Attributes;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Benchmarks;

/// <summary>Work queue throughput: add, take and finish keys, with duplicates coalescing.</summary>
[MemoryDiagnoser]
public class WorkQueueBenchmarks
{
    private ObjectKey[] _keys = [];

    [Params(10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup() => _keys = [.. Enumerable.Range(0, Keys).Select(i => new ObjectKey("bots", $"connector-{i}"))];

    [Benchmark]
    public async Task<int> AddTakeDone()
    {
        using var queue = new WorkQueue<ObjectKey>();
        foreach (var key in _keys)
        {
            queue.Add(key);
            queue.Add(key);
        }
        var done = 0;
        while (queue.Count > 0)
        {
            var key = await queue.TakeAsync();
            queue.Done(key);
            done++;
        }
        return done;
    }
}
