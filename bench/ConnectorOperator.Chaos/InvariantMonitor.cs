using System.Text.Json.Nodes;

namespace ConnectorOperator.Chaos;

/// <summary>
/// Looks at pods and AgentConnectors (in-process, so faults do not blind it) and counts every violation once:
/// two pods for one agent user (terminating ones too: their container still holds the session), a pod created
/// beyond desired + 1 (the surge of a rollout), and pods still there a while after their AgentConnector is gone.
/// </summary>
internal sealed class InvariantMonitor(TimeProvider time)
{
    /// <summary>A scale-down or stop takes effect only once the operator has seen it: desired values this recent still count.</summary>
    public static readonly TimeSpan DesiredWindow = TimeSpan.FromSeconds(5);

    /// <summary>A pod may outlive its AgentConnector this long (the kubelet ends a terminating pod within its grace period).</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(15);

    private readonly HashSet<string> _duplicates = [];
    private readonly HashSet<string> _seenPods = [];
    private readonly HashSet<string> _aboveDesired = [];
    private readonly HashSet<string> _orphans = [];
    private readonly Dictionary<string, DateTimeOffset> _ownerMissingSince = [];
    private readonly Dictionary<string, List<(DateTimeOffset At, int Desired)>> _desiredHistory = [];

    public int DuplicateAgentUserPods => _duplicates.Count;

    public int PodsAboveDesired => _aboveDesired.Count;

    public int OrphanPods => _orphans.Count;

    /// <summary>The first violations, described, for the report.</summary>
    public List<string> Examples { get; } = [];

    public int Checks { get; private set; }

    /// <summary>Reads the namespace from the server and checks it.</summary>
    public void Check(ClusterView cluster) => Check(cluster.Connectors(), cluster.Pods());

    public void Check(IReadOnlyList<JsonObject> connectorList, IReadOnlyList<JsonObject> pods)
    {
        Checks++;
        var now = time.GetUtcNow();
        var connectors = connectorList.ToDictionary(ChaosObjects.Uid);
        foreach (var (uid, connector) in connectors) Remember(uid, now, ChaosObjects.Desired(connector));

        foreach (var group in pods.GroupBy(ChaosObjects.AgentUser).Where(g => g.Key is not null && g.Count() > 1))
        {
            var key = string.Join(",", group.Select(ChaosObjects.Name).Order(StringComparer.Ordinal));
            if (_duplicates.Add(key)) Report($"agent user {group.Key} has {group.Count()} pods at once: {key}");
        }

        foreach (var pod in pods)
        {
            var name = ChaosObjects.Name(pod);
            var owner = ChaosObjects.OwnerUid(pod);
            if (owner is null || !connectors.ContainsKey(owner))
            {
                var since = _ownerMissingSince.TryGetValue(name, out var first) ? first : _ownerMissingSince[name] = now;
                if (now - since > OrphanGrace && _orphans.Add(ChaosObjects.Uid(pod)))
                    Report($"pod {name} is still there {(now - since).TotalSeconds:F0} s after its AgentConnector is gone");
                continue;
            }
            _ownerMissingSince.Remove(name);
            if (!_seenPods.Add(ChaosObjects.Uid(pod)) || ChaosObjects.Deleting(pod)) continue;
            // A new pod: with it, live pods must stay within desired + 1 of a desired value in force lately.
            var live = pods.Count(p => ChaosObjects.OwnerUid(p) == owner && !ChaosObjects.Deleting(p));
            var allowed = RecentDesired(owner) + 1;
            if (live > allowed && _aboveDesired.Add(ChaosObjects.Uid(pod)))
                Report($"pod {name} made {live} live pods for {ChaosObjects.Name(connectors[owner])}, desired + 1 is {allowed}");
        }
        var present = pods.Select(ChaosObjects.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _ownerMissingSince.Keys.Where(n => !present.Contains(n)).ToList()) _ownerMissingSince.Remove(gone);
    }

    private void Remember(string uid, DateTimeOffset now, int desired)
    {
        if (!_desiredHistory.TryGetValue(uid, out var history)) _desiredHistory[uid] = history = [];
        if (history.Count == 0 || history[^1].Desired != desired) history.Add((now, desired));
        // Keep the value in force at the window's start and everything after it.
        while (history.Count > 1 && history[1].At < now - DesiredWindow) history.RemoveAt(0);
    }

    private int RecentDesired(string uid) =>
        _desiredHistory.TryGetValue(uid, out var history) ? history.Max(h => h.Desired) : 0;

    private void Report(string violation)
    {
        if (Examples.Count < 20) Examples.Add(violation);
    }

    public static List<string> NotConverged(ClusterView cluster) => NotConverged(cluster.Connectors(), cluster.Pods());

    /// <summary>
    /// AgentConnectors that are not where their spec says, and pods whose AgentConnector is gone (converged means
    /// those are cleaned up too); empty when all have converged.
    /// </summary>
    public static List<string> NotConverged(IReadOnlyList<JsonObject> connectors, IReadOnlyList<JsonObject> pods)
    {
        var problems = new List<string>();
        foreach (var connector in connectors)
        {
            var name = ChaosObjects.Name(connector);
            var uid = ChaosObjects.Uid(connector);
            var own = pods.Where(p => ChaosObjects.OwnerUid(p) == uid).ToList();
            var status = connector["status"] as JsonObject;
            var desired = ChaosObjects.Desired(connector);
            var state = status?["state"]?.GetValue<string>();
            string? problem = null;
            if (ChaosObjects.Deleting(connector)) problem = "still being deleted";
            else if (ChaosObjects.Number(status?["observedGeneration"]) != ChaosObjects.Generation(connector))
                problem = $"observedGeneration {status?["observedGeneration"]} of generation {ChaosObjects.Generation(connector)}";
            else if (own.Count != desired || own.Any(ChaosObjects.Deleting)) problem = $"{own.Count} pods ({own.Count(ChaosObjects.Deleting)} terminating), desired {desired}";
            else if (desired > 0 && (Int(status, "readyReplicas") != desired || Int(status, "updatedReplicas") != desired || state != "Online"))
                problem = $"{state} with {Int(status, "readyReplicas")} ready and {Int(status, "updatedReplicas")} updated of {desired}";
            else if (desired == 0 && state != "Stopped") problem = $"{state} with no connectors wanted";
            if (problem is not null) problems.Add($"{name}: {problem}");
        }
        var owners = connectors.Select(ChaosObjects.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => ChaosObjects.OwnerUid(p) is not { } owner || !owners.Contains(owner)))
            problems.Add($"pod {ChaosObjects.Name(pod)}: its AgentConnector is gone");
        return problems;
    }

    private static long Int(JsonObject? status, string field) => ChaosObjects.Number(status?[field]) ?? 0;
}
