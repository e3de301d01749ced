using ConnectorOperator.Bench;
using ConnectorOperator.LocalCluster;

namespace ConnectorOperator.Chaos;

/// <summary>
/// Two operator processes with leader election, kept at two as a Deployment would: a killed or crashed one is
/// replaced by a new process (new identity). Crashes (exits nobody asked for) are counted.
/// </summary>
internal sealed class OperatorReplicas(ApiServerDouble server, string operatorAssembly, IReadOnlyList<string> arguments, string logDirectory,
    string leaseNamespace, string leaseName, int replicas = 2) : IAsyncDisposable
{
    private readonly List<OperatorProcess> _running = [];
    private readonly List<OperatorProcess> _gone = [];
    private int _started;
    private string? _leader;
    private DateTimeOffset _leaderSince;

    public int Crashes { get; private set; }

    public int LeaderKills { get; private set; }

    /// <summary>Log files of processes that crashed, for the report.</summary>
    public List<string> CrashLogs { get; } = [];

    public void Start()
    {
        while (_running.Count < replicas) _running.Add(StartOne());
    }

    private OperatorProcess StartOne() =>
        OperatorProcess.Start(operatorAssembly, $"chaos-operator-{++_started}", arguments, logDirectory);

    /// <summary>Counts and replaces processes that exited by themselves.</summary>
    public void Tend()
    {
        foreach (var process in _running.Where(p => p.HasExited).ToList())
        {
            if (process.Crashed)
            {
                Crashes++;
                CrashLogs.Add($"{process.Identity} exited with {process.ExitCode} (log {process.LogPath})");
            }
            _running.Remove(process);
            _gone.Add(process);
        }
        Start();
    }

    /// <summary>The Lease holder's identity, or null while nobody leads.</summary>
    public string? Leader() =>
        server.GetObject("coordination.k8s.io/v1", "Lease", leaseNamespace, leaseName)?["spec"]?["holderIdentity"]?.GetValue<string>();

    /// <summary>
    /// How long the current leader has led, as far as calls to this have seen; null while no live process of ours
    /// leads (after a kill the Lease names the dead one until a follower takes over).
    /// </summary>
    public TimeSpan? LeadingFor(DateTimeOffset now)
    {
        var leader = Leader();
        if (leader != _leader)
        {
            _leader = leader;
            _leaderSince = now;
        }
        return _running.Any(p => p.Identity == leader && !p.HasExited) ? now - _leaderSince : null;
    }

    /// <summary>SIGKILLs the process holding the Lease (if one of ours does) and starts its replacement.</summary>
    public bool KillLeader()
    {
        var leader = Leader();
        if (_running.FirstOrDefault(p => p.Identity == leader && !p.HasExited) is not { } process) return false;
        process.Kill();
        LeaderKills++;
        _running.Remove(process);
        _gone.Add(process);
        Start();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _running.Concat(_gone)) await process.DisposeAsync();
    }
}
