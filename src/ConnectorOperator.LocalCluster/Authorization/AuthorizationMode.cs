namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>kube-apiserver's --authorization-mode, reduced to the two the double offers.</summary>
public enum AuthorizationMode
{
    /// <summary>Everyone may do everything (the double's historical behaviour; most tests need nothing else).</summary>
    AlwaysAllow,

    /// <summary>Roles, ClusterRoles and their bindings decide, with the bootstrap roles (cluster-admin, admin, edit, view, ...) installed.</summary>
    Rbac,
}
