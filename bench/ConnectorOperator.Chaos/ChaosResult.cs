using System.Globalization;
using System.Text;

namespace ConnectorOperator.Chaos;

/// <summary>What a chaos run counted. Every violation count must be 0.</summary>
internal sealed class ChaosResult
{
    public int DuplicateAgentUserPods { get; init; }

    public int PodsAboveDesired { get; init; }

    public int OrphanPods { get; init; }

    public int NotConverged { get; init; }

    public int OperatorCrashes { get; init; }

    /// <summary>Seconds from the end of the faults until every AgentConnector had converged (null: not within the limit).</summary>
    public double? ConvergedAfterSeconds { get; init; }

    public int Connectors { get; init; }

    public TimeSpan FaultPhase { get; init; }

    public TimeSpan Elapsed { get; init; }

    public int LeaderKills { get; init; }

    public int Checks { get; init; }

    public IReadOnlyDictionary<string, int> Operations { get; init; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, int> Faults { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<string> Examples { get; init; } = [];

    public bool Passed => DuplicateAgentUserPods == 0 && PodsAboveDesired == 0 && OrphanPods == 0 && NotConverged == 0 && OperatorCrashes == 0;

    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"chaos: {Connectors} AgentConnectors, {FaultPhase.TotalSeconds:F0} s of faults, {Elapsed.TotalSeconds:F0} s in all, {Checks} invariant checks");
        text.AppendLine(c, $"  operations: {Join(Operations)}");
        text.AppendLine(c, $"  faults: {Join(Faults)}, leader kills {LeaderKills}");
        text.AppendLine(c, $"  two live pods for one agent user      {DuplicateAgentUserPods}");
        text.AppendLine(c, $"  pods above desired + 1                {PodsAboveDesired}");
        text.AppendLine(c, $"  pods left after their AgentConnector  {OrphanPods}");
        text.AppendLine(c, $"  not converged 60 s after faults stop  {NotConverged}");
        text.AppendLine(c, $"  operator crashes                      {OperatorCrashes}");
        text.AppendLine(ConvergedAfterSeconds is { } s ? string.Create(c, $"  converged {s:F1} s after the faults stopped") : "  did not converge");
        foreach (var example in Examples) text.AppendLine(c, $"  - {example}");
        text.AppendLine(Passed ? "PASSED" : "FAILED");
        return text.ToString();
    }

    private static string Join(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
}
