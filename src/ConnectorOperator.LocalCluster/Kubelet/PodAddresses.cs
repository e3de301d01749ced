using System.Collections.Concurrent;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// Hands each pod its own loopback address (127.0.1.1, 127.0.1.2, ...), so pods can share a port as on a real node.
/// Linux routes all of 127.0.0.0/8 to the loopback interface, so nothing needs configuring.
/// </summary>
/// <param name="subnet">Second octet: clusters running at once on one machine use different ones (127.{subnet}.x.y).</param>
public sealed class PodAddresses(byte subnet = 0)
{
    private readonly ConcurrentDictionary<string, string> _byPod = new();
    private readonly ConcurrentBag<string> _free = [];
    private int _next;

    public string Assign(string podUid) => _byPod.GetOrAdd(podUid, _ => _free.TryTake(out var reused) ? reused : Allocate());

    public void Release(string podUid)
    {
        if (_byPod.TryRemove(podUid, out var address)) _free.Add(address);
    }

    private string Allocate()
    {
        var n = Interlocked.Increment(ref _next);
        if (n > 250 * 254) throw new InvalidOperationException("out of loopback pod addresses");
        return $"127.{subnet}.{1 + (n - 1) / 254}.{1 + (n - 1) % 254}";
    }
}
