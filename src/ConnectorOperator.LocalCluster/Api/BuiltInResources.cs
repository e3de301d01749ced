namespace ConnectorOperator.LocalCluster.Api;

/// <summary>The built-in kinds the double serves.</summary>
internal static class BuiltInResources
{
    private static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ];

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("pods", "Pod", namespaced: true, hasStatus: true, ["po"], ["all"], ["spec.nodeName", "status.phase", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName"]),
        Core("secrets", "Secret", namespaced: true, hasStatus: false, [], [], ["type"]),
        Core("configmaps", "ConfigMap", namespaced: true, hasStatus: false, ["cm"], [], []),
        Core("namespaces", "Namespace", namespaced: false, hasStatus: true, ["ns"], [], ["status.phase"]),
        Core("events", "Event", namespaced: true, hasStatus: false, ["ev"], [], EventFields),
        Core("services", "Service", namespaced: true, hasStatus: true, ["svc"], ["all"], ["spec.clusterIP", "spec.type"]),
        Core("nodes", "Node", namespaced: false, hasStatus: true, ["no"], [], ["spec.unschedulable"]),
        Core("serviceaccounts", "ServiceAccount", namespaced: true, hasStatus: false, ["sa"], [], []),
        Grouped("events.k8s.io", "events", "Event", namespaced: true, hasStatus: false, ["ev"], ["regarding.kind", "regarding.name", "regarding.namespace", "regarding.uid", "reason", "type", "reportingController"]),
        Grouped("coordination.k8s.io", "leases", "Lease", namespaced: true, hasStatus: false, [], []),
        Grouped("policy", "poddisruptionbudgets", "PodDisruptionBudget", namespaced: true, hasStatus: true, ["pdb"], []),
        Grouped("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, hasStatus: true, ["crd", "crds"], []),
    ];


    private static ResourceType Core(string plural, string kind, bool namespaced, bool hasStatus, string[] shortNames, string[] categories, string[] fields) => new()
    {
        Group = string.Empty,
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = namespaced,
        HasStatus = hasStatus,
        ShortNames = shortNames,
        Categories = categories,
        SelectableFields = fields,
    };

    private static ResourceType Grouped(string group, string plural, string kind, bool namespaced, bool hasStatus, string[] shortNames, string[] fields) => new()
    {
        Group = group,
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = namespaced,
        HasStatus = hasStatus,
        ShortNames = shortNames,
        SelectableFields = fields,
    };
}
