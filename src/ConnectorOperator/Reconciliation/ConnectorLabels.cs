namespace ConnectorOperator.Reconciliation;

/// <summary>Labels and annotations the operator puts on what it owns.</summary>
public static class ConnectorLabels
{
    public const string Prefix = "connectoroperator.dev/";

    /// <summary>Selector label: the AgentConnector a pod belongs to.</summary>
    public const string Connector = Prefix + "agent-connector";

    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "connector-operator";
    public const string Name = "app.kubernetes.io/name";
    public const string NameValue = "agent-connector";
    public const string Component = "app.kubernetes.io/component";

    /// <summary>Annotation: the configuration revision the pod was created with.</summary>
    public const string Revision = Prefix + "revision";

    /// <summary>Annotation: the agent user (login name) the pod logs in as. Login names need not be valid label values.</summary>
    public const string AgentUser = Prefix + "agent-user";

    /// <summary>Label: a short hash of the agent user, for selecting its pod.</summary>
    public const string AgentUserHash = Prefix + "agent-user-hash";

    /// <summary>
    /// Annotation on an AgentConnector: a restart request (any new value, usually a timestamp), as
    /// <c>kubectl rollout restart</c> sets kubectl.kubernetes.io/restartedAt on a Deployment's pod template. It enters
    /// the revision, so the connectors roll one at a time.
    /// </summary>
    public const string RestartedAt = Prefix + "restartedAt";

    /// <summary>Finalizer that drains connectors before an AgentConnector goes away.</summary>
    public const string Finalizer = Prefix + "drain-connectors";

    public static Dictionary<string, string> Selector(string connectorName) => new() { [Connector] = connectorName };

    public static string SelectorString(string connectorName) => $"{Connector}={connectorName}";
}
