using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Tests.Schema;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests.Admission;

/// <summary>ValidatingAdmissionPolicy over HTTP: matching, validations, messages, actions, errors and the authorizer library.</summary>
public sealed class ValidatingAdmissionPolicyTests : ApiServerTest
{
    protected override ApiServerOptions? Options => new() { Authorization = AuthorizationMode.Rbac, CelEvaluator = SharedCel.Evaluator };

    private RawClient As(string user)
    {
        var client = new RawClient(Server);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user == "admin" ? Server.AdminToken : Server.IssueToken(user));
        return client;
    }

    private static JsonObject ConfigMap(string name, int entries)
    {
        var data = new JsonObject();
        for (var i = 0; i < entries; i++) data[$"k{i}"] = "v";
        return Objects.ConfigMap(name, data: data);
    }

    [Fact]
    public async Task A_failed_validation_denies_with_the_policy_binding_and_message_as_kube_apiserver_words_it()
    {
        Server.CreateObject(Policies.OnConfigMaps("small-configmaps", [Policies.Validation("object.data.size() <= 2", message: "at most two keys")]));
        Server.CreateObject(Policies.Binding("small-configmaps-binding", "small-configmaps"));
        using var admin = As("admin");

        var denied = (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("big", 3))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("small", 2))).Expect(HttpStatusCode.Created);

        Assert.Equal("Invalid", denied["reason"]!.GetValue<string>());
        Assert.Equal("configmaps \"big\" is forbidden: ValidatingAdmissionPolicy 'small-configmaps' with binding 'small-configmaps-binding' denied request: at most two keys",
            denied["message"]!.GetValue<string>());
        Assert.Null(Server.GetObject("v1", "ConfigMap", "default", "big"));
    }

    [Fact]
    public async Task Message_expression_variables_and_request_user_info_are_bound_and_reason_sets_the_code()
    {
        Server.CreateObject(Policies.OnConfigMaps("owner-label",
            [Policies.Validation("variables.hasOwner", messageExpression: "'user ' + request.userInfo.username + ' must label ' + object.metadata.name + ' in ' + request.namespace", reason: "Forbidden")],
            new JsonObject { ["variables"] = new JsonArray(new JsonObject { ["name"] = "hasOwner", ["expression"] = "has(object.metadata.labels) && 'owner' in object.metadata.labels" }) }));
        Server.CreateObject(Policies.Binding("owner-label", "owner-label"));
        Server.CreateObject(Rbac.RoleBinding("default", "alice-edit", "ClusterRole", "edit", Rbac.User("alice")));
        using var alice = As("alice");

        var denied = (await alice.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("unlabelled"))).Expect(HttpStatusCode.Forbidden).Json;

        Assert.Equal("Forbidden", denied["reason"]!.GetValue<string>());
        Assert.EndsWith("denied request: user alice must label unlabelled in default", denied["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (await alice.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("labelled", labels: new JsonObject { ["owner"] = "a" }))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_update_sees_old_object_and_a_status_write_is_not_matched_by_the_main_resource()
    {
        Server.CreateObject(Policies.OnConfigMaps("immutable-mode",
            [Policies.Validation("request.operation == 'CREATE' || object.data.mode == oldObject.data.mode", message: "mode is immutable")]));
        Server.CreateObject(Policies.Binding("immutable-mode", "immutable-mode"));
        var created = Server.CreateObject(Objects.ConfigMap("c", data: new JsonObject { ["mode"] = "a" }));
        using var admin = As("admin");

        created["data"]!["mode"] = "b";
        var denied = (await admin.PutAsync("/api/v1/namespaces/default/configmaps/c", created)).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.EndsWith("denied request: mode is immutable", denied["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warn_adds_a_warning_header_and_lets_the_write_through()
    {
        Server.CreateObject(Policies.OnConfigMaps("prefer-small", [Policies.Validation("object.data.size() <= 1")]));
        Server.CreateObject(Policies.Binding("prefer-small", "prefer-small", "Warn"));
        using var admin = As("admin");

        var reply = (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("two", 2))).Expect(HttpStatusCode.Created);

        Assert.Contains(reply.Headers.GetValues("Warning"), w => w.Contains("Validation failed for ValidatingAdmissionPolicy 'prefer-small' with binding 'prefer-small': failed expression: object.data.size() <= 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_runtime_error_denies_under_failure_policy_fail_and_is_ignored_under_ignore()
    {
        Server.CreateObject(Policies.OnConfigMaps("reads-missing", [Policies.Validation("object.data.missing == 'x'")]));
        Server.CreateObject(Policies.Binding("reads-missing", "reads-missing"));
        using var admin = As("admin");

        var denied = (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("a", 1))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.StartsWith("configmaps \"a\" is forbidden: ValidatingAdmissionPolicy 'reads-missing' with binding 'reads-missing' denied request: expression 'object.data.missing == 'x'' resulted in error: ",
            denied["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Server.ModifyObject("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", null, "reads-missing", p =>
        {
            p["spec"]!["failurePolicy"] = "Ignore";
            return p;
        });
        (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("a", 1))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_policy_whose_expression_does_not_compile_is_rejected_when_written()
    {
        using var admin = As("admin");

        var rejected = (await admin.PostAsync("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies",
            Policies.OnConfigMaps("broken", [Policies.Validation("object.data.size() <")]))).Expect(HttpStatusCode.UnprocessableEntity).Json;

        Assert.Equal("Invalid", rejected["reason"]!.GetValue<string>());
        Assert.StartsWith("ValidatingAdmissionPolicy.admissionregistration.k8s.io \"broken\" is invalid: spec.validations[0].expression: Invalid value: \"object.data.size() <\": compilation failed: ERROR: ",
            rejected["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binding_may_not_both_deny_and_warn_and_needs_an_action()
    {
        using var admin = As("admin");

        var both = (await admin.PostAsync("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings", Policies.Binding("b", "p", "Deny", "Warn"))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        var none = Policies.Binding("c", "p");
        none["spec"]!["validationActions"] = new JsonArray();
        var empty = (await admin.PostAsync("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings", none)).Expect(HttpStatusCode.UnprocessableEntity).Json;

        Assert.Contains("must not contain both Deny and Warn", both["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("spec.validationActions: Required value", empty["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authorizer_library_checks_a_custom_verb_against_rbac_for_the_requester()
    {
        Server.CreateObject(Policies.OnConfigMaps("approvers-only",
            [Policies.Validation("authorizer.group('').resource('configmaps').namespace(request.namespace).check('approve').allowed()", message: "needs approve", reason: "Forbidden")]));
        Server.CreateObject(Policies.Binding("approvers-only", "approvers-only"));
        Server.CreateObject(Rbac.RoleBinding("default", "alice-edit", "ClusterRole", "edit", Rbac.User("alice")));
        using var alice = As("alice");

        (await alice.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("one"))).Expect(HttpStatusCode.Forbidden);
        Server.CreateObject(Rbac.ClusterRole("approver", null, Rbac.Rule("", "configmaps", "approve")));
        Server.CreateObject(Rbac.RoleBinding("default", "alice-approves", "ClusterRole", "approver", Rbac.User("alice")));
        (await alice.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("one"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Match_conditions_and_namespace_selectors_narrow_what_a_policy_sees()
    {
        Server.CreateObject(Objects.Namespace("strict"));
        Server.ModifyObject("v1", "Namespace", null, "strict", n =>
        {
            n["metadata"]!["labels"] = new JsonObject { ["policy"] = "strict" };
            return n;
        });
        var policy = Policies.OnConfigMaps("strict-only", [Policies.Validation("false", message: "no configmaps here")],
            new JsonObject { ["matchConditions"] = new JsonArray(new JsonObject { ["name"] = "not-exempt", ["expression"] = "!has(object.metadata.labels) || !('exempt' in object.metadata.labels)" }) });
        policy["spec"]!["matchConstraints"]!["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["policy"] = "strict" } };
        Server.CreateObject(policy);
        Server.CreateObject(Policies.Binding("strict-only", "strict-only"));
        using var admin = As("admin");

        (await admin.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("free"))).Expect(HttpStatusCode.Created);
        (await admin.PostAsync("/api/v1/namespaces/strict/configmaps", Objects.ConfigMap("blocked", "strict"))).Expect(HttpStatusCode.UnprocessableEntity);
        (await admin.PostAsync("/api/v1/namespaces/strict/configmaps", Objects.ConfigMap("exempted", "strict", labels: new JsonObject { ["exempt"] = "yes" }))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Params_come_from_the_object_the_binding_names()
    {
        var policy = Policies.OnConfigMaps("max-keys", [Policies.Validation("object.data.size() <= int(params.data.max)", messageExpression: "'at most ' + params.data.max + ' keys'")],
            new JsonObject { ["paramKind"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap" } });
        policy["spec"]!["matchConstraints"]!["resourceRules"]![0]!["resourceNames"] = new JsonArray("checked");
        Server.CreateObject(policy);
        var binding = Policies.Binding("max-keys", "max-keys");
        binding["spec"]!["paramRef"] = new JsonObject { ["name"] = "limits", ["namespace"] = "kube-system", ["parameterNotFoundAction"] = "Deny" };
        Server.CreateObject(binding);
        using var admin = As("admin");

        var missing = (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("checked", 1))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.EndsWith("no params found for policy binding with `Deny` parameterNotFoundAction", missing["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Server.CreateObject(Objects.ConfigMap("limits", "kube-system", data: new JsonObject { ["max"] = "1" }));
        var denied = (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("checked", 2))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.EndsWith("denied request: at most 1 keys", denied["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (await admin.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("checked", 1))).Expect(HttpStatusCode.Created);
    }
}
