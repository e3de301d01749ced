using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

public sealed class ProcessKubeletOptions
{
    public string NodeName { get; set; } = "local-node";

    /// <summary>Which local program runs for which image; an image not in the map is reported as ErrImagePull.</summary>
    public ImageMap Images { get; set; } = new();

    /// <summary>Directory of the per-pod log files (<c>{namespace}_{pod}.log</c>, appended across restarts).</summary>
    public string LogDirectory { get; set; } = Path.Combine(".local", "logs");

    /// <summary>The pod addresses; give concurrent clusters on one machine different subnets.</summary>
    public PodAddresses Addresses { get; set; } = new();

    /// <summary>How often the kubelet looks for new and deleted pods.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Multiplies probe delays and periods (1 = as the pod says); tests and demos shorten them.</summary>
    public double ProbePeriodScale { get; set; } = 1;

    /// <summary>The first delay of CrashLoopBackOff, doubled per crash (a real kubelet: 10 s).</summary>
    public TimeSpan BackOffInitial { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The cap of CrashLoopBackOff (a real kubelet: 5 min).</summary>
    public TimeSpan BackOffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A container that ran this long before it exited restarts without delay.</summary>
    public TimeSpan BackOffResetAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a container that cannot be configured (missing Secret) or whose image is unknown is tried again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When the kubelet itself stops: time containers get after SIGTERM before they are killed.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Host variables a container process keeps (it gets nothing else from the host); the runtime needs a few.</summary>
    public IList<string> InheritedVariables { get; } =
        ["PATH", "HOME", "TMPDIR", "LANG", "DOTNET_ROOT", "DOTNET_CLI_HOME", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "DOTNET_gcServer", "NODE_PATH"];

    /// <summary>
    /// Starts each container in its own session through this program (<c>setsid</c>; null: directly). A Ctrl-C in
    /// the terminal then reaches only the kubelet's owner, which stops the containers in order, instead of every
    /// container at once (which the kubelet would take for crashes and restart).
    /// </summary>
    public string? SessionLauncher { get; set; } = SetsidLocations.FirstOrDefault(File.Exists);

    private static readonly string[] SetsidLocations = ["/usr/bin/setsid", "/bin/setsid"];

    /// <summary>Pods this kubelet leaves alone (another kubelet's, say); default: none.</summary>
    public Func<JsonObject, bool> Ignores { get; set; } = _ => false;
}
