using ConnectorOperator.Api;
using ConnectorOperator.Validation;

namespace ConnectorOperator.Reconciliation;

/// <summary>Everything the planner needs: the resource, what runs, what the credentials offer, and who else claims which agent user.</summary>
public sealed record PlanInput
{
    public required AgentConnector Connector { get; init; }
    public required IReadOnlyList<ObservedConnector> Pods { get; init; }

    /// <summary>By login name. A user absent here counts as having missing credentials.</summary>
    public required IReadOnlyDictionary<string, CredentialsInfo> Credentials { get; init; }

    /// <summary>Login names another AgentConnector claimed first, with that connector's namespace/name.</summary>
    public IReadOnlyDictionary<string, string> ConflictingAgentUsers { get; init; } = new Dictionary<string, string>();

    public required string Revision { get; init; }
    public required OperatorSettings Settings { get; init; }
    public required DateTimeOffset Now { get; init; }

    /// <summary>Spec problems ("field: message") that forbid running; the CRD should have caught them.</summary>
    public IReadOnlyList<string> SpecErrors { get; init; } = [];

    /// <summary>Spec problems worth a Warning condition but not a stop (unknown configuration keys, a role on Chat, ...).</summary>
    public IReadOnlyList<SpecProblem> SpecWarnings { get; init; } = [];
}

/// <summary>A connector to start; <see cref="Credentials"/> says which Secret keys its pod references.</summary>
public sealed record PodToCreate(AgentUser AgentUser, CredentialsInfo Credentials, int Serial, string Reason);

public sealed record PodToDelete(string Name, string AgentUser, string Reason);

public sealed record PlannedEvent(string Type, string Reason, string Action, string Note)
{
    public static PlannedEvent Normal(string reason, string action, string note) => new("Normal", reason, action, note);

    public static PlannedEvent Warning(string reason, string action, string note) => new("Warning", reason, action, note);
}

/// <summary>
/// The writes one reconcile pass should make, in order: status first (it persists the serials the creates use),
/// then creates, then deletes. Empty lists and an unchanged status mean a steady state: no writes at all.
/// </summary>
public sealed record ConnectorPlan(
    AgentConnectorStatus Status,
    IReadOnlyList<PodToCreate> Create,
    IReadOnlyList<PodToDelete> Delete,
    IReadOnlyList<PlannedEvent> Events,
    TimeSpan? RequeueAfter)
{
    /// <summary>The pods are gone, so a deleting resource may drop its finalizer.</summary>
    public bool DrainComplete { get; init; }
}
