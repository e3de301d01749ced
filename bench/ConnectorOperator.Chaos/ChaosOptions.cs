using System.Globalization;
using ConnectorOperator.Bench;

namespace ConnectorOperator.Chaos;

/// <summary>How big and how long a chaos run is; the defaults are the full run of <c>make chaos</c>.</summary>
internal sealed class ChaosOptions
{
    /// <summary>AgentConnectors kept in play (each with three agent users and 1 to 3 replicas).</summary>
    public int Connectors { get; set; } = 200;

    /// <summary>How long faults are injected and the AgentConnectors driven.</summary>
    public TimeSpan FaultPhase { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Every AgentConnector must have converged this long after the faults stop.</summary>
    public TimeSpan ConvergenceLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed for the first wave of AgentConnectors to come Online before the faults start.</summary>
    public TimeSpan WarmUpLimit { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Share of API requests that fail, half with 500 and half with 429 and Retry-After.</summary>
    public double ErrorRate { get; set; } = 0.10;

    /// <summary>Time between two driver operations (create, edit, scale, stop, start, delete).</summary>
    public TimeSpan OperationInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time between two disruptions (watch cut, 410, stalled watches, a connector crash).</summary>
    public TimeSpan DisruptionInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long each leading operator process leads before it is killed (SIGKILL); null: 40 s, or a third of a shorter fault phase.</summary>
    public TimeSpan? LeaderKillInterval { get; set; }

    /// <summary>A short run still kills a leader, and with short lease timings its successor too.</summary>
    public TimeSpan KillInterval => LeaderKillInterval ?? TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(40).Ticks, FaultPhase.Ticks / 3));

    /// <summary>Size of the smaller run: one AgentConnector of this many real connector processes with simulated consumers.</summary>
    public int RealConnectors { get; set; } = 10;

    /// <summary>Consumer conversations in the run with real connectors.</summary>
    public int Conversations { get; set; } = 50;

    /// <summary>Time between two user operations in the run with real connectors (each rollout restarts every connector).</summary>
    public TimeSpan RealOperationInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int Seed { get; set; } = 1;

    /// <summary>Where the operator processes' output goes.</summary>
    public string LogDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "connector-operator-chaos");

    /// <summary>Extra configuration for the operator processes (for example shorter lease timings in the CI run).</summary>
    public IList<string> OperatorArguments { get; } = [];

    /// <summary>Runs the run of <see cref="Connectors"/> AgentConnectors (fake connectors); off when only --real-connectors is given.</summary>
    public bool RunFakeConnectors { get; set; } = true;

    /// <summary>Runs the smaller run of <see cref="RealConnectors"/>; off when only --connectors is given.</summary>
    public bool RunRealConnectors { get; set; } = true;

    /// <summary>--connectors N, --real-connectors N --conversations N (neither: both runs) --duration 180s --converge 60s --seed N --kill-every 40s --errors 0.1 --logs DIR, and operator overrides after --.</summary>
    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ChaosOptions
        {
            RunFakeConnectors = !args.Contains("--real-connectors") || args.Contains("--connectors"),
            RunRealConnectors = !args.Contains("--connectors") || args.Contains("--real-connectors"),
        };
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                foreach (var extra in args.Skip(i + 1)) options.OperatorArguments.Add(extra);
                break;
            }
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--connectors": options.Connectors = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--duration": options.FaultPhase = BenchObjects.Duration(value); break;
                case "--converge": options.ConvergenceLimit = BenchObjects.Duration(value); break;
                case "--real-connectors": options.RealConnectors = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--conversations": options.Conversations = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": options.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--kill-every": options.LeaderKillInterval = BenchObjects.Duration(value); break;
                case "--errors": options.ErrorRate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--logs": options.LogDirectory = value; break;
                default: throw new ArgumentException($"unknown option {args[i]} (--connectors, --real-connectors, --conversations, --duration, --converge, --seed, --kill-every, --errors, --logs, -- operator arguments)");
            }
            i++;
        }
        return options;
    }

}
