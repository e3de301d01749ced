using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>
/// The default roles kube-apiserver installs (label kubernetes.io/bootstrapping=rbac-defaults), reduced to the
/// resources the double serves: cluster-admin bound to system:masters; admin, edit and view built by aggregation
/// from the system:aggregate-to-* roles (and anything else carrying their labels); what every authenticated user
/// may ask (discovery, access reviews about itself); what anyone may read (/healthz, /version).
/// </summary>
internal static class BootstrapPolicy
{
    private const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    private const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    private const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];

    public static IEnumerable<JsonObject> Objects()
    {
        yield return ClusterRole("cluster-admin", [], [Rule(["*"], ["*"], ["*"]), NonResource(["*"], ["*"])]);
        yield return Aggregated("admin", AggregateToAdmin, []);
        yield return Aggregated("edit", AggregateToEdit, [AggregateToAdmin]);
        yield return Aggregated("view", AggregateToView, [AggregateToEdit]);
        yield return ClusterRole("system:aggregate-to-admin", [AggregateToAdmin],
        [
            Rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
            Rule(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], [.. Read, .. Write]),
        ]);
        yield return ClusterRole("system:aggregate-to-edit", [AggregateToAdmin, AggregateToEdit],
        [
            Rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], [.. Write]),
            Rule([""], ["pods/eviction"], ["create"]),
            Rule([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy", "endpoints"], [.. Write]),
            Rule([""], ["serviceaccounts/token"], ["create"]),
            Rule([""], ["secrets", "serviceaccounts"], Read),
            Rule([""], ["serviceaccounts"], ["impersonate"]),
            Rule(["policy"], ["poddisruptionbudgets"], [.. Write]),
            Rule(["coordination.k8s.io"], ["leases"], [.. Read, .. Write]),
        ]);
        yield return ClusterRole("system:aggregate-to-view", [AggregateToAdmin, AggregateToEdit, AggregateToView],
        [
            Rule([""], ["pods", "pods/status", "pods/log", "configmaps", "endpoints", "persistentvolumeclaims", "replicationcontrollers", "services", "services/status", "events", "limitranges", "resourcequotas", "bindings"], Read),
            Rule([""], ["namespaces", "namespaces/status"], Read),
            Rule(["events.k8s.io"], ["events"], Read),
            Rule(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], Read),
        ]);
        yield return ClusterRole("system:basic-user", [],
        [
            Rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
            Rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
        ]);
        yield return ClusterRole("system:discovery", [],
            [NonResource(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], ["get"])]);
        yield return ClusterRole("system:public-info-viewer", [],
            [NonResource(["/healthz", "/livez", "/readyz", "/version", "/version/"], ["get"])]);

        yield return Binding("cluster-admin", "cluster-admin", Group("system:masters"));
        yield return Binding("system:basic-user", "system:basic-user", Group("system:authenticated"));
        yield return Binding("system:discovery", "system:discovery", Group("system:authenticated"));
        yield return Binding("system:public-info-viewer", "system:public-info-viewer", Group("system:authenticated"), Group("system:unauthenticated"));
    }

    public static JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = Strings(groups),
        ["resources"] = Strings(resources),
        ["verbs"] = Strings(verbs),
    };

    private static JsonObject NonResource(string[] urls, string[] verbs) => new()
    {
        ["nonResourceURLs"] = Strings(urls),
        ["verbs"] = Strings(verbs),
    };

    private static JsonObject ClusterRole(string name, string[] aggregateTo, JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name, aggregateTo),
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject Aggregated(string name, string selects, string[] aggregateTo) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name, aggregateTo),
        ["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [selects] = "true" } }),
        },
        ["rules"] = new JsonArray(),
    };

    private static JsonObject Binding(string name, string role, params JsonObject[] subjects) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name, []),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. subjects]),
    };

    private static JsonObject Group(string name) => new() { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = name };

    private static JsonObject Metadata(string name, string[] aggregateTo)
    {
        var labels = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        foreach (var label in aggregateTo)
        {
            labels[label] = "true";
        }
        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        };
    }

    private static JsonArray Strings(string[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
