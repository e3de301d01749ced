using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

public sealed class SimulatedKubeletOptions
{
    public string NodeName { get; set; } = "local-node";

    /// <summary>How often the kubelet looks at its pods; a pod gets a step when it changed or its probe, start or resync is due.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Longest a pod goes without a step when nothing about it changed and nothing is due (a real kubelet resyncs
    /// each pod every minute): exits, probes, starts and the end of a grace period each wake their pod on time.
    /// </summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Scales each pod's readinessProbe periodSeconds (0: probe on every sync, for fast tests). Many pods need a
    /// real period, or the probes alone fill the machine.
    /// </summary>
    public double ProbePeriodScale { get; set; }

    /// <summary>Pods whose containers are started, probed and stopped at once in one sync.</summary>
    public int MaxConcurrentPods { get; set; } = 64;

    /// <summary>Decides each new pod's container fate (default: it runs).</summary>
    public Func<JsonObject, ContainerBehaviour> Behaviour { get; set; } = _ => new ContainerBehaviour.Runs();

    /// <summary>
    /// Starts whatever serves the pod's probes at its address (a fake connector, or nothing); disposed when the
    /// pod stops. Null result: nothing listens, so probes fail unless the pod has none. A start that throws, or a
    /// container that exits, is restarted after CrashLoopBackOff.
    /// </summary>
    public Func<JsonObject, string, CancellationToken, Task<ISimulatedContainer?>>? StartContainer { get; set; }

    /// <summary>The first delay of CrashLoopBackOff, doubled per failed start or crash (a real kubelet: 10 s).</summary>
    public TimeSpan BackOffInitial { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap of CrashLoopBackOff (a real kubelet: 5 min).</summary>
    public TimeSpan BackOffMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A container that ran this long starts its back-off over (a real kubelet: 10 min).</summary>
    public TimeSpan BackOffResetAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time between a delete request and the pod's removal (the grace period, shortened).</summary>
    public TimeSpan TerminationDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
