namespace ConnectorOperator.Tests.Packaging;

/// <summary>
/// The API calls the operator makes, read from its code. A new call there must show up here, and then in
/// config/rbac and the chart; a permission granted beyond this list fails the tests, and OperatorRbacTests runs
/// the operator under config/rbac to prove the list is exactly what it uses (denied nothing, nothing unused).
/// </summary>
internal static class OperatorPermissions
{
    private const string Group = "connectoroperator.dev";

    /// <summary>Granted cluster-wide (or, with watchNamespaces, in each watched namespace).</summary>
    public static readonly IReadOnlySet<Permission> InWatchedNamespaces = new HashSet<Permission>
    {
        // Informer<AgentConnector> (list, watch); finalizer JSON patch (patch).
        new(Group, "agentconnectors", "list"),
        new(Group, "agentconnectors", "watch"),
        new(Group, "agentconnectors", "patch"),
        // ReplaceAsync(..., "status"): PUT /status.
        new(Group, "agentconnectors/status", "update"),
        // Pods and budgets carry a blocking controller reference to their AgentConnector.
        new(Group, "agentconnectors/finalizers", "update"),
        // Informer<Pod>, CreateAsync, DeleteAsync with a uid precondition.
        new("", "pods", "list"),
        new("", "pods", "watch"),
        new("", "pods", "create"),
        new("", "pods", "delete"),
        // Informer<PartialObjectMetadata> over Secrets; CredentialsInspector's TryGetAsync<Secret>.
        new("", "secrets", "get"),
        new("", "secrets", "list"),
        new("", "secrets", "watch"),
        // Informer<PodDisruptionBudget>, CreateAsync, merge PatchAsync.
        new("policy", "poddisruptionbudgets", "list"),
        new("policy", "poddisruptionbudgets", "watch"),
        new("policy", "poddisruptionbudgets", "create"),
        new("policy", "poddisruptionbudgets", "patch"),
        // EventRecorder: CreateAsync, then PatchAsync of the series.
        new("events.k8s.io", "events", "create"),
        new("events.k8s.io", "events", "patch"),
    };

    /// <summary>LeaderElector: TryGetAsync, CreateAsync, ReplaceAsync of one Lease in the operator's namespace.</summary>
    public static readonly IReadOnlySet<Permission> LeaderElection = new HashSet<Permission>
    {
        new("coordination.k8s.io", "leases", "get"),
        new("coordination.k8s.io", "leases", "create"),
        new("coordination.k8s.io", "leases", "update"),
    };
}
