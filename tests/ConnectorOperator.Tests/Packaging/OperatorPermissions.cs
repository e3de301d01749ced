namespace ConnectorOperator.Tests.Packaging;

/// <summary>
/// The API calls the operator makes, read from its code. A new call there must show up here, and then in
/// config/rbac and the chart; a permission granted beyond this list fails the tests.
/// </summary>
internal static class OperatorPermissions
{
    private const string Group = "connectoroperator.dev";

    /// <summary>Granted cluster-wide (or, with watchNamespaces, in each watched namespace).</summary>
    public static readonly IReadOnlySet<Permission> InWatchedNamespaces = new HashSet<Permission>
    {
        // Informer<AgentConnector> (list, watch); finalizer JSON patch (patch). get/update are the
        // conventional pair a controller holds on its own kind.
        new(Group, "agentconnectors", "get"),
        new(Group, "agentconnectors", "list"),
        new(Group, "agentconnectors", "watch"),
        new(Group, "agentconnectors", "update"),
        new(Group, "agentconnectors", "patch"),
        // ReplaceAsync(..., "status"): PUT /status.
        new(Group, "agentconnectors/status", "get"),
        new(Group, "agentconnectors/status", "update"),
        new(Group, "agentconnectors/status", "patch"),
        // Pods and budgets carry a blocking controller reference to their AgentConnector.
        new(Group, "agentconnectors/finalizers", "update"),
        // Informer<Pod>, CreateAsync, DeleteAsync with a uid precondition.
        new("", "pods", "get"),
        new("", "pods", "list"),
        new("", "pods", "watch"),
        new("", "pods", "create"),
        new("", "pods", "delete"),
        // Informer<PartialObjectMetadata> over Secrets; CredentialsInspector's TryGetAsync<Secret>.
        new("", "secrets", "get"),
        new("", "secrets", "list"),
        new("", "secrets", "watch"),
        // Informer<PodDisruptionBudget>, CreateAsync, merge PatchAsync.
        new("policy", "poddisruptionbudgets", "get"),
        new("policy", "poddisruptionbudgets", "list"),
        new("policy", "poddisruptionbudgets", "watch"),
        new("policy", "poddisruptionbudgets", "create"),
        new("policy", "poddisruptionbudgets", "patch"),
        new("policy", "poddisruptionbudgets", "update"),
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
