using ConnectorOperator.Simulator.Options;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Dev;

public sealed class LocalDevClusterOptions
{
    /// <summary>The image the operator puts in connector pods; the kubelet runs the built connector for it.</summary>
    public const string ConnectorImage = "connector-operator/connector:local";

    /// <summary>The built connector (<see cref="RepositoryLayout.ConnectorAssembly"/>), run with <c>dotnet</c>.</summary>
    public required string ConnectorAssembly { get; init; }

    /// <summary>Where the kubeconfig goes; null writes none.</summary>
    public string? KubeconfigPath { get; init; }

    public required string LogDirectory { get; init; }

    /// <summary>Configuration overrides for the operator, after the launcher's own (so they win).</summary>
    public IReadOnlyList<string> OperatorArguments { get; init; } = [];

    /// <summary>Probe periods as a share of what the pod says: quicker Ready locally.</summary>
    public double ProbePeriodScale { get; init; } = 0.4;

    /// <summary>Second octet of the pod addresses (127.{subnet}.x.y).</summary>
    public byte PodSubnet { get; init; }

    /// <summary>Time a connector gets to hand conversations back when it is stopped.</summary>
    public int DrainSeconds { get; init; } = 5;

    /// <summary>The first CrashLoopBackOff delay (a real node: 10 s).</summary>
    public TimeSpan BackOffInitial { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>False: no operator in this process; run <c>connector-operator run</c> with <see cref="LocalDevCluster.OperatorArguments"/> (the chaos run's two processes).</summary>
    public bool EmbeddedOperator { get; init; } = true;

    /// <summary>The Conversational Cloud simulator's accounts and users; null: <see cref="DemoResources.Simulator"/>.</summary>
    public SimulatorOptions? Simulator { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }
}
