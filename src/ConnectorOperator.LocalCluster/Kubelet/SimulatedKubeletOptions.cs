using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

public sealed class SimulatedKubeletOptions
{
    public string NodeName { get; set; } = "local-node";

    /// <summary>How often the kubelet looks at its pods and probes them.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Decides each new pod's container fate (default: it runs).</summary>
    public Func<JsonObject, ContainerBehaviour> Behaviour { get; set; } = _ => new ContainerBehaviour.Runs();

    /// <summary>
    /// Starts whatever serves the pod's probes at its address (a fake connector, or nothing); disposed when the
    /// pod stops. Null result: nothing listens, so probes fail unless the pod has none.
    /// </summary>
    public Func<JsonObject, string, CancellationToken, Task<IAsyncDisposable?>>? StartContainer { get; set; }

    /// <summary>Time between a delete request and the pod's removal (the grace period, shortened).</summary>
    public TimeSpan TerminationDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
