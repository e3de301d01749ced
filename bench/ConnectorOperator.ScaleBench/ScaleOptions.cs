using System.Globalization;
using ConnectorOperator.Bench;

namespace ConnectorOperator.ScaleBench;

/// <summary>What one <c>make bench-scale</c> measures; every option has the default of the documented run.</summary>
internal sealed class ScaleOptions
{
    /// <summary>AgentConnector counts, one run each (a fresh cluster and operator per run).</summary>
    public IReadOnlyList<int> Counts { get; set; } = [100, 1000];

    /// <summary>How long the steady state is watched for writes after everything is Online.</summary>
    public TimeSpan Steady { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Give up on a run whose AgentConnectors are not all Online by then.</summary>
    public TimeSpan OnlineLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// connector-operator.dll to run on the shared runtime, the one built next to the bench by default (another build
    /// compares before/after); or a published executable (make publish: artifacts/publish/connector-operator/connector-operator).
    /// </summary>
    public string OperatorAssembly { get; set; } = Path.Combine(AppContext.BaseDirectory, "connector-operator.dll");

    /// <summary>Where the JSON report goes, relative to the repository root unless rooted.</summary>
    public string Output { get; set; } = Path.Combine("docs", "benchmarks", "scale.json");

    public string LogDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "connector-operator-scale");

    /// <summary>--connectors 100,1000 --steady 60s --limit 5m --operator PATH --output FILE --logs DIR</summary>
    public static ScaleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ScaleOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--connectors": options.Counts = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]; break;
                case "--steady": options.Steady = BenchObjects.Duration(value); break;
                case "--limit": options.OnlineLimit = BenchObjects.Duration(value); break;
                case "--operator": options.OperatorAssembly = Path.GetFullPath(value); break;
                case "--output": options.Output = value; break;
                case "--logs": options.LogDirectory = value; break;
                default: throw new ArgumentException($"unknown option {args[i]} (--connectors, --steady, --limit, --operator, --output, --logs)");
            }
        }
        if (options.Counts.Count == 0 || options.Counts.Any(n => n <= 0)) throw new ArgumentException("--connectors needs positive counts");
        return options;
    }

}
