using System.Text.Json.Nodes;
using ConnectorOperator.Dev;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>
/// The chart's RBAC, rendered from its templates (no helm binary: <see cref="HelmTemplate"/>), against config/rbac
/// and the operator's own list of calls. OperatorRbacTests also runs the operator under these roles.
/// </summary>
public sealed class ChartRbacTests
{
    /// <summary>The templates that make the operator's ServiceAccount, its roles and bindings, and the user roles.</summary>
    public static readonly string[] RbacTemplates = ["serviceaccount.yaml", "clusterrole.yaml", "roles.yaml", "user-roles.yaml"];

    /// <summary>A release named like the chart, so its objects are named as config/rbac's.</summary>
    public const string Release = "connector-operator";

    [KubectlFact]
    public void For_default_values_the_chart_grants_the_operator_what_config_rbac_grants()
    {
        var chart = RenderedManifests.Chart(Release, ShippedRbac.OperatorNamespace, null, RbacTemplates);
        var shipped = RenderedManifests.Kustomize("config/rbac");

        Assert.Equal(Grants(shipped), Grants(chart));
    }

    [KubectlFact]
    public void The_charts_user_roles_are_config_rbacs_with_the_same_rules_and_aggregation()
    {
        var chart = RenderedManifests.Chart(Release, ShippedRbac.OperatorNamespace, null, RbacTemplates);
        var shipped = RenderedManifests.Kustomize("config/rbac");
        var operatorRoles = shipped.RolesBoundTo(ShippedRbac.ServiceAccount, ShippedRbac.OperatorNamespace).Select(r => Name(r.Role)).ToHashSet();
        var userRoles = shipped.OfKind("ClusterRole").Where(r => !operatorRoles.Contains(Name(r))).ToList();

        Assert.NotEmpty(userRoles);
        foreach (var role in userRoles)
        {
            var rendered = chart.Single("ClusterRole", Name(role));
            Assert.True(Permission.Granted(role).SetEquals(Permission.Granted(rendered)),
                $"{Name(role)}: config/rbac grants [{Describe(Permission.Granted(role))}], the chart [{Describe(Permission.Granted(rendered))}]");
            Assert.Equal(Aggregation(role), Aggregation(rendered));
        }
        Assert.Equal(userRoles.Count + operatorRoles.Count(n => chart.OfKind("ClusterRole").Any(r => Name(r) == n)), chart.OfKind("ClusterRole").Count());
    }

    [Fact]
    public void For_default_values_the_chart_grants_the_operator_exactly_the_permissions_it_uses()
    {
        var chart = RenderedManifests.Chart(Release, ShippedRbac.OperatorNamespace, null, RbacTemplates);

        var grants = Grants(chart);
        Assert.Equal(Describe(OperatorPermissions.InWatchedNamespaces), grants["(cluster)"]);
        Assert.Equal(Describe(OperatorPermissions.LeaderElection), grants[ShippedRbac.OperatorNamespace]);
    }

    [Fact]
    public void With_watch_namespaces_the_chart_grants_the_operator_its_rules_only_in_those_namespaces()
    {
        var values = new JsonObject { ["watchNamespaces"] = new JsonArray("bots", "support") };
        var chart = RenderedManifests.Chart(Release, ShippedRbac.OperatorNamespace, values, RbacTemplates);

        var grants = Grants(chart);
        Assert.Equal(["bots", ShippedRbac.OperatorNamespace, "support"], grants.Keys);
        Assert.Equal(Describe(OperatorPermissions.InWatchedNamespaces), grants["bots"]);
        Assert.Equal(Describe(OperatorPermissions.InWatchedNamespaces), grants["support"]);
        Assert.Equal(Describe(OperatorPermissions.LeaderElection), grants[ShippedRbac.OperatorNamespace]);
    }

    [Fact]
    public void Without_rbac_create_the_chart_renders_no_roles()
    {
        var values = new JsonObject { ["rbac"] = new JsonObject { ["create"] = false } };
        var chart = RenderedManifests.Chart(Release, ShippedRbac.OperatorNamespace, values, RbacTemplates);

        Assert.Equal(["ServiceAccount"], chart.Objects.Select(o => (string)o["kind"]!));
    }

    /// <summary>Where the operator's ServiceAccount is granted what: "(cluster)" or a namespace → sorted permissions.</summary>
    private static SortedDictionary<string, string> Grants(RenderedManifests manifests)
    {
        var account = manifests.Single("ServiceAccount", ShippedRbac.ServiceAccount);
        Assert.Equal(ShippedRbac.OperatorNamespace, (string?)account["metadata"]!["namespace"]);
        var grants = manifests.RolesBoundTo(ShippedRbac.ServiceAccount, ShippedRbac.OperatorNamespace)
            .GroupBy(r => r.Namespace ?? "(cluster)")
            .ToDictionary(g => g.Key, g => Describe(g.SelectMany(r => Permission.Granted(r.Role))));
        return new SortedDictionary<string, string>(grants, StringComparer.Ordinal);
    }

    private static string Describe(IEnumerable<Permission> permissions) =>
        string.Join("; ", permissions.Select(p => p.ToString()).Distinct().Order(StringComparer.Ordinal));

    private static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    private static string Aggregation(JsonObject role) =>
        string.Join(", ", (role["metadata"]!["labels"]?.AsObject() ?? [])
            .Where(l => l.Key.StartsWith("rbac.authorization.k8s.io/aggregate-to-", StringComparison.Ordinal))
            .Select(l => $"{l.Key}={l.Value}")
            .Order(StringComparer.Ordinal));
}
