using System.Globalization;
using System.Text;
using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.Chaos;

/// <summary>What a chaos run counted. Every violation count must be 0.</summary>
internal sealed class ChaosResult
{
    public int DuplicateAgentUserPods { get; init; }

    public int PodsAboveDesired { get; init; }

    public int OrphanPods { get; init; }

    public int NotConverged { get; init; }

    public int OperatorCrashes { get; init; }

    /// <summary>Run with real connectors only: conversations with a consumer message that got neither a bot answer nor an escalation.</summary>
    public int? ConversationsLost { get; init; }

    /// <summary>Run with real connectors only: live sessions revoked because their agent user logged in a second time.</summary>
    public int? SessionConflicts { get; init; }

    public ConsumerDriverReport? Conversations { get; init; }

    public int RealConnectors { get; init; }

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

    public bool Passed => DuplicateAgentUserPods == 0 && PodsAboveDesired == 0 && OrphanPods == 0 && NotConverged == 0 && OperatorCrashes == 0
        && ConversationsLost is null or 0 && SessionConflicts is null or 0;

    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var size = RealConnectors > 0 ? $"1 AgentConnector of {RealConnectors} real connectors" : $"{Connectors} AgentConnectors";
        text.AppendLine(c, $"chaos: {size}, {FaultPhase.TotalSeconds:F0} s of faults, {Elapsed.TotalSeconds:F0} s in all, {Checks} invariant checks");
        text.AppendLine(c, $"  operations: {Join(Operations)}");
        text.AppendLine(c, $"  faults: {Join(Faults)}, leader kills {LeaderKills}");
        text.AppendLine(c, $"  two live pods for one agent user      {DuplicateAgentUserPods}");
        text.AppendLine(c, $"  pods above desired + 1                {PodsAboveDesired}");
        text.AppendLine(c, $"  pods left after their AgentConnector  {OrphanPods}");
        text.AppendLine(c, $"  not converged 60 s after faults stop  {NotConverged}");
        text.AppendLine(c, $"  operator crashes                      {OperatorCrashes}");
        if (ConversationsLost is { } lost) text.AppendLine(c, $"  conversations lost                    {lost}");
        if (SessionConflicts is { } conflicts) text.AppendLine(c, $"  session conflicts                     {conflicts}");
        if (Conversations is { } r)
        {
            text.AppendLine(c, $"  consumers: {r.Conversations} conversations, {r.MessagesSent} messages, {r.Answered} answered, {r.Escalated} escalated, "
                + $"{r.UnansweredMessages} messages unanswered; answer p50 {r.P50Ms:F0} ms, p99 {r.P99Ms:F0} ms, max {r.MaxMs:F0} ms");
        }
        text.AppendLine(ConvergedAfterSeconds is { } s ? string.Create(c, $"  converged {s:F1} s after the faults stopped") : "  did not converge");
        foreach (var example in Examples) text.AppendLine(c, $"  - {example}");
        text.AppendLine(Passed ? "PASSED" : "FAILED");
        return text.ToString();
    }

    private static string Join(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
}
