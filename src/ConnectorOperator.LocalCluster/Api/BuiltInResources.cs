using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>The built-in kinds the double serves.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("pods", "Pod", namespaced: true, hasStatus: true, ["po"], ["all"], ["spec.nodeName", "status.phase", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName"]),
        Core("secrets", "Secret", namespaced: true, hasStatus: false, [], [], ["type"]),
        Core("configmaps", "ConfigMap", namespaced: true, hasStatus: false, ["cm"], [], []),
        Core("namespaces", "Namespace", namespaced: false, hasStatus: true, ["ns"], [], ["status.phase"]),
        Core("events", "Event", namespaced: true, hasStatus: false, ["ev"], [], [.. EventSelectableFields.Core], EventSelectableFields.ReadCore),
        Core("services", "Service", namespaced: true, hasStatus: true, ["svc"], ["all"], ["spec.clusterIP", "spec.type"]),
        Core("nodes", "Node", namespaced: false, hasStatus: true, ["no"], [], ["spec.unschedulable"]),
        Core("serviceaccounts", "ServiceAccount", namespaced: true, hasStatus: false, ["sa"], [], []),
        EventsV1(),
        Grouped("coordination.k8s.io", "leases", "Lease", namespaced: true, hasStatus: false, [], []),
        Grouped("policy", "poddisruptionbudgets", "PodDisruptionBudget", namespaced: true, hasStatus: true, ["pdb"], []),
        Grouped("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, hasStatus: true, ["crd", "crds"], []),
        Grouped(RbacGroup, "roles", "Role", namespaced: true, hasStatus: false, [], []),
        Grouped(RbacGroup, "rolebindings", "RoleBinding", namespaced: true, hasStatus: false, [], []),
        Grouped(RbacGroup, "clusterroles", "ClusterRole", namespaced: false, hasStatus: false, [], []),
        Grouped(RbacGroup, "clusterrolebindings", "ClusterRoleBinding", namespaced: false, hasStatus: false, [], []),
        Grouped(AdmissionGroup, "validatingadmissionpolicies", "ValidatingAdmissionPolicy", namespaced: false, hasStatus: true, [], []),
        Grouped(AdmissionGroup, "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", namespaced: false, hasStatus: false, [], []),
        Grouped(AuthorizationGroup, "subjectaccessreviews", "SubjectAccessReview", namespaced: false, hasStatus: false, [], [], createOnly: true),
        Grouped(AuthorizationGroup, "selfsubjectaccessreviews", "SelfSubjectAccessReview", namespaced: false, hasStatus: false, [], [], createOnly: true),
        Grouped(AuthorizationGroup, "selfsubjectrulesreviews", "SelfSubjectRulesReview", namespaced: false, hasStatus: false, [], [], createOnly: true),
        Grouped(AuthorizationGroup, "localsubjectaccessreviews", "LocalSubjectAccessReview", namespaced: true, hasStatus: false, [], [], createOnly: true),
        Grouped("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", namespaced: false, hasStatus: false, [], [], createOnly: true),
    ];

    public const string RbacGroup = "rbac.authorization.k8s.io";
    public const string AdmissionGroup = "admissionregistration.k8s.io";
    public const string AuthorizationGroup = "authorization.k8s.io";

    public static ResourceType Get(string group, string plural) => All.First(r => r.Group == group && r.Plural == plural);

    // One Event store for both versions, as in the real apiserver: events.k8s.io/v1 reads and writes the core/v1 Events.
    private static ResourceType EventsV1() => new()
    {
        Group = "events.k8s.io",
        Version = "v1",
        Kind = "Event",
        Plural = "events",
        Singular = "event",
        Namespaced = true,
        ShortNames = ["ev"],
        SelectableFields = EventSelectableFields.EventsV1,
        SelectableFieldReader = EventSelectableFields.ReadEventsV1,
        SharedStorageKey = "/events",
        Conversion = EventsV1Conversion.Instance,
    };

    private static ResourceType Core(string plural, string kind, bool namespaced, bool hasStatus, string[] shortNames, string[] categories, string[] fields,
        Func<JsonObject, string, string?>? fieldReader = null) => new()
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
            SelectableFieldReader = fieldReader,
        };

    private static ResourceType Grouped(string group, string plural, string kind, bool namespaced, bool hasStatus, string[] shortNames, string[] fields, bool createOnly = false) => new()
    {
        CreateOnly = createOnly,
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
