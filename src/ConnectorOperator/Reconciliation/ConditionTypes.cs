using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Reconciliation;

public static class ConditionTypes
{
    public const string Online = "Online";
    public const string Stopped = "Stopped";

    /// <summary>kstatus summary: the declared intent is met (including a deliberate stop).</summary>
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";

    /// <summary>A cap (maxReplicas, agent users) holds the connector count below what the load asks for.</summary>
    public const string ScalingLimited = "ScalingLimited";

    /// <summary>Accepted but worth a look: unknown or inapplicable configuration keys, a role on Chat, more conversations
    /// per connector than the documented baseline, one connector in Production, password login.</summary>
    public const string Warning = "Warning";
}

/// <summary>Sets conditions keyed by type, keeping lastTransitionTime when the status value does not change.</summary>
public static class Conditions
{
    public static Condition Make(IReadOnlyList<Condition>? previous, string type, bool status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var value = status ? "True" : "False";
        var before = previous?.FirstOrDefault(c => c.Type == type);
        return new Condition
        {
            Type = type,
            Status = value,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = before is not null && before.Status == value ? before.LastTransitionTime : now,
        };
    }
}
