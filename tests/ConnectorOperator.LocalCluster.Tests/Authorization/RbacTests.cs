using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests.Authorization;

/// <summary>RBAC over HTTP: who may do what, and the 403 bodies kube-apiserver sends when not.</summary>
public sealed class RbacTests : ApiServerTest
{
    protected override ApiServerOptions? Options => new() { Authorization = AuthorizationMode.Rbac };

    protected override Task SeedAsync()
    {
        Server.CreateObject(Objects.Namespace("team-a"));
        Server.CreateObject(Objects.Namespace("team-b"));
        return Task.CompletedTask;
    }

    private RawClient As(string user, params string[] groups) => WithToken(Server.IssueToken(user, groups));

    private RawClient WithToken(string token)
    {
        var client = new RawClient(Server);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_user_without_bindings_gets_403_naming_user_verb_resource_group_and_namespace()
    {
        using var alice = As("alice");

        var denied = (await alice.GetAsync("/api/v1/namespaces/team-a/pods")).Expect(HttpStatusCode.Forbidden).Json;

        Assert.Equal("Forbidden", denied["reason"]!.GetValue<string>());
        Assert.Equal("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"team-a\"", denied["message"]!.GetValue<string>());
        Assert.Equal("pods", denied["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forbidden_names_the_object_the_group_and_the_cluster_scope()
    {
        using var alice = As("alice");

        var denied = (await alice.GetAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles/edit")).Expect(HttpStatusCode.Forbidden).Json;

        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"edit\" is forbidden: User \"alice\" cannot get resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope",
            denied["message"]!.GetValue<string>());
        Assert.Equal("edit", denied["details"]!["name"]!.GetValue<string>());
        Assert.Equal("rbac.authorization.k8s.io", denied["details"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anonymous_may_read_version_but_not_discovery()
    {
        using var anonymous = new RawClient(Server);

        (await anonymous.GetAsync("/version")).Expect(HttpStatusCode.OK);
        var denied = (await anonymous.GetAsync("/api")).Expect(HttpStatusCode.Forbidden).Json;
        Assert.Equal("forbidden: User \"system:anonymous\" cannot get path \"/api\"", denied["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_role_binding_grants_its_role_only_in_its_own_namespace()
    {
        Server.CreateObject(Rbac.Role("team-a", "configmap-reader", Rbac.Rule("", "configmaps", "get", "list")));
        Server.CreateObject(Rbac.RoleBinding("team-a", "alice-reads", "Role", "configmap-reader", Rbac.User("alice")));
        using var alice = As("alice");

        (await alice.GetAsync("/api/v1/namespaces/team-a/configmaps")).Expect(HttpStatusCode.OK);
        (await alice.GetAsync("/api/v1/namespaces/team-b/configmaps")).Expect(HttpStatusCode.Forbidden);
        (await alice.PostAsync("/api/v1/namespaces/team-a/configmaps", Objects.ConfigMap("c", "team-a"))).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_cluster_role_binding_grants_in_every_namespace_and_groups_count()
    {
        Server.CreateObject(Rbac.ClusterRoleBinding("auditors-view", "view", Rbac.Group("auditors")));
        using var auditor = As("carol", "auditors");
        using var outsider = As("dave", "others");

        (await auditor.GetAsync("/api/v1/namespaces/team-b/pods")).Expect(HttpStatusCode.OK);
        (await outsider.GetAsync("/api/v1/namespaces/team-b/pods")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Resource_names_limit_a_rule_to_those_objects_and_never_cover_list_or_create()
    {
        var rule = Rbac.Rule("", "configmaps", "get", "list", "create");
        rule["resourceNames"] = new JsonArray("allowed");
        Server.CreateObject(Rbac.Role("team-a", "one-configmap", rule));
        Server.CreateObject(Rbac.RoleBinding("team-a", "alice-one", "Role", "one-configmap", Rbac.User("alice")));
        Server.CreateObject(Objects.ConfigMap("allowed", "team-a"));
        Server.CreateObject(Objects.ConfigMap("other", "team-a"));
        using var alice = As("alice");

        (await alice.GetAsync("/api/v1/namespaces/team-a/configmaps/allowed")).Expect(HttpStatusCode.OK);
        (await alice.GetAsync("/api/v1/namespaces/team-a/configmaps/other")).Expect(HttpStatusCode.Forbidden);
        (await alice.GetAsync("/api/v1/namespaces/team-a/configmaps")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_subresource_needs_its_own_rule()
    {
        Server.CreateObject(Rbac.Role("team-a", "pods-only", Rbac.Rule("", "pods", "get", "update")));
        Server.CreateObject(Rbac.RoleBinding("team-a", "alice-pods", "Role", "pods-only", Rbac.User("alice")));
        Server.CreateObject(Objects.Pod("p", "team-a"));
        using var alice = As("alice");

        (await alice.GetAsync("/api/v1/namespaces/team-a/pods/p")).Expect(HttpStatusCode.OK);
        var denied = (await alice.GetAsync("/api/v1/namespaces/team-a/pods/p/status")).Expect(HttpStatusCode.Forbidden).Json;
        Assert.Contains("cannot get resource \"pods/status\"", denied["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_account_subject_without_namespace_means_the_binding_namespace()
    {
        Server.CreateObject(Objects.ServiceAccount("team-a", "robot"));
        Server.CreateObject(Rbac.Role("team-a", "lease-user", Rbac.Rule("coordination.k8s.io", "leases", "list")));
        Server.CreateObject(Rbac.RoleBinding("team-a", "robot-leases", "Role", "lease-user", Rbac.ServiceAccount("robot")));
        using var robot = WithToken(Server.IssueServiceAccountToken("team-a", "robot"));

        (await robot.GetAsync("/apis/coordination.k8s.io/v1/namespaces/team-a/leases")).Expect(HttpStatusCode.OK);
        var denied = (await robot.GetAsync("/apis/coordination.k8s.io/v1/namespaces/team-b/leases")).Expect(HttpStatusCode.Forbidden).Json;
        Assert.Contains("User \"system:serviceaccount:team-a:robot\" cannot list", denied["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_role_labelled_for_edit_is_aggregated_into_edit_and_admin_at_once()
    {
        Server.CreateObject(Rbac.RoleBinding("team-a", "alice-edit", "ClusterRole", "edit", Rbac.User("alice")));
        using var alice = As("alice");
        (await alice.GetAsync("/apis/coordination.k8s.io/v1/namespaces/team-a/leases")).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).Status);

        Server.CreateObject(Rbac.ClusterRole("crd-reader", new JsonObject { ["rbac.authorization.k8s.io/aggregate-to-edit"] = "true" },
            Rbac.Rule("apiextensions.k8s.io", "customresourcedefinitions", "list")));

        var edit = Server.GetObject("rbac.authorization.k8s.io/v1", "ClusterRole", null, "edit")!;
        Assert.Contains(edit["rules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "customresourcedefinitions");
        var admin = Server.GetObject("rbac.authorization.k8s.io/v1", "ClusterRole", null, "admin")!;
        // edit itself carries aggregate-to-admin, so admin takes in what edit took in.
        Assert.Contains(admin["rules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "customresourcedefinitions");
        // A RoleBinding to a ClusterRole still grants only in its namespace, so the cluster-scoped list stays denied.
        (await alice.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).Expect(HttpStatusCode.Forbidden);
        Server.CreateObject(Rbac.ClusterRoleBinding("alice-edit-everywhere", "edit", Rbac.User("alice")));
        (await alice.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Self_subject_access_review_answers_for_a_custom_verb()
    {
        Server.CreateObject(Rbac.ClusterRole("deployer", null, Rbac.Rule("example.dev", "widgets", "deploy")));
        Server.CreateObject(Rbac.RoleBinding("team-a", "alice-deploys", "ClusterRole", "deployer", Rbac.User("alice")));
        using var alice = As("alice");

        var inA = (await alice.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Rbac.AccessReview("deploy", "example.dev", "widgets", "team-a"))).Expect(HttpStatusCode.Created).Json;
        var inB = (await alice.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Rbac.AccessReview("deploy", "example.dev", "widgets", "team-b"))).Expect(HttpStatusCode.Created).Json;

        Assert.True(inA["status"]!["allowed"]!.GetValue<bool>());
        Assert.False(inB["status"]!["allowed"]!.GetValue<bool>());
        Assert.Equal("widgets", inA["spec"]!["resourceAttributes"]!["resource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subject_access_review_asks_about_another_user_and_needs_permission_itself()
    {
        Server.CreateObject(Rbac.RoleBinding("team-a", "bob-view", "ClusterRole", "view", Rbac.User("bob")));
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = "bob",
                ["resourceAttributes"] = new JsonObject { ["verb"] = "list", ["resource"] = "pods", ["namespace"] = "team-a" },
            },
        };
        using var alice = As("alice");
        using var admin = WithToken(Server.AdminToken);

        (await alice.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", review)).Expect(HttpStatusCode.Forbidden);
        var answer = (await admin.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", review)).Expect(HttpStatusCode.Created).Json;
        Assert.True(answer["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Self_subject_rules_review_lists_the_rules_in_a_namespace_and_whoami_tells_the_groups()
    {
        Server.CreateObject(Rbac.Role("team-a", "secret-reader", Rbac.Rule("", "secrets", "get")));
        Server.CreateObject(Rbac.RoleBinding("team-a", "alice-secrets", "Role", "secret-reader", Rbac.User("alice")));
        using var alice = As("alice", "developers");

        var rules = (await alice.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectRulesReview",
            ["spec"] = new JsonObject { ["namespace"] = "team-a" },
        })).Expect(HttpStatusCode.Created).Json;
        var who = (await alice.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "SelfSubjectReview",
        })).Expect(HttpStatusCode.Created).Json;

        Assert.Contains(rules["status"]!["resourceRules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "secrets");
        Assert.Contains(rules["status"]!["nonResourceRules"]!.AsArray(), r => r!["nonResourceURLs"]!.AsArray().Any(u => u!.GetValue<string>() == "/version"));
        Assert.Equal("alice", who["status"]!["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal(["developers", "system:authenticated"], who["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Fact]
    public async Task Reviews_accept_only_create()
    {
        using var admin = WithToken(Server.AdminToken);

        (await admin.GetAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")).Expect(HttpStatusCode.MethodNotAllowed);
        var discovery = (await admin.GetAsync("/apis/authorization.k8s.io/v1")).Expect(HttpStatusCode.OK).Json;
        Assert.All(discovery["resources"]!.AsArray(), r => Assert.Equal(["create"], r!["verbs"]!.AsArray().Select(v => v!.GetValue<string>())));
    }
}
