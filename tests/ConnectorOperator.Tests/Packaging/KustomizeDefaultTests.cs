using System.Text.Json.Nodes;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>config/default as `kubectl apply -k config/default` would send it.</summary>
public sealed class KustomizeDefaultTests
{
    private const string Namespace = "connector-operator-system";

    private static readonly Lazy<RenderedManifests> Rendered = new(() => RenderedManifests.Kustomize("config/default"));

    private static RenderedManifests Manifests => Rendered.Value;

    private static JsonObject Deployment => Manifests.Single("Deployment", "connector-operator");

    private static JsonObject PodSpec => Deployment["spec"]!["template"]!["spec"]!.AsObject();

    private static JsonObject OperatorContainer => Assert.Single(PodSpec["containers"]!.AsArray(), c => (string?)c!["name"] == "operator")!.AsObject();

    [KubectlFact]
    public void Every_object_has_an_api_version_kind_and_name_and_namespaced_ones_land_in_the_operator_namespace()
    {
        Assert.NotEmpty(Manifests.Objects);
        var clusterScoped = new[] { "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding" };
        foreach (var o in Manifests.Objects)
        {
            Assert.False(string.IsNullOrEmpty((string?)o["apiVersion"]), o.ToJsonString());
            var kind = (string?)o["kind"];
            var name = (string?)o["metadata"]?["name"];
            Assert.False(string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name), o.ToJsonString());
            var ns = (string?)o["metadata"]!["namespace"];
            Assert.True(clusterScoped.Contains(kind) ? ns is null : ns == Namespace, $"{kind}/{name} has namespace '{ns}'");
        }
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Deployment", "Namespace", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount",
                "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
            Manifests.Objects.Select(o => (string)o["kind"]!).Distinct().Order(StringComparer.Ordinal));
    }

    [KubectlFact]
    public void The_crd_is_the_generated_one_unchanged()
    {
        var generated = YamlDocuments.ParseSingle(RepositoryFiles.Read("config/crd/bases/connectoroperator.dev_agentconnectors.yaml"));
        var rendered = Manifests.Single("CustomResourceDefinition", "agentconnectors.connectoroperator.dev");
        Assert.True(JsonNode.DeepEquals(generated, rendered), "kustomize changed the CRD");
    }

    [KubectlFact]
    public void The_operator_namespace_enforces_the_restricted_pod_security_level()
    {
        var labels = Manifests.Single("Namespace", Namespace)["metadata"]!["labels"]!;
        Assert.Equal("restricted", (string?)labels["pod-security.kubernetes.io/enforce"]);
    }

    [KubectlFact]
    public void The_deployment_runs_two_replicas_of_the_operator_image_with_the_run_command()
    {
        Assert.Equal(2, (long)Deployment["spec"]!["replicas"]!);
        Assert.StartsWith("ghcr.io/connectoroperator/connector-operator:", (string)OperatorContainer["image"]!, StringComparison.Ordinal);
        Assert.Equal(["run"], Permission.Strings(OperatorContainer["args"]));
        Assert.Null(OperatorContainer["command"]);
        Assert.Equal("connector-operator", (string?)PodSpec["serviceAccountName"]);
        Assert.False((bool?)PodSpec["automountServiceAccountToken"] == false, "the operator finds the cluster through the mounted service account token");
    }

    [KubectlFact]
    public void Pod_and_container_security_contexts_meet_the_restricted_level()
    {
        var pod = PodSpec["securityContext"]!;
        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.Equal(65532, (long)pod["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);

        var container = OperatorContainer["securityContext"]!;
        Assert.True((bool)container["runAsNonRoot"]!);
        Assert.Equal(65532, (long)container["runAsUser"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.Equal(["ALL"], Permission.Strings(container["capabilities"]!["drop"]));
        Assert.Null(container["capabilities"]!["add"]);
        Assert.Null(container["privileged"]);
        Assert.Equal("RuntimeDefault", (string?)container["seccompProfile"]!["type"]);
        Assert.Null(PodSpec["hostNetwork"]);
        Assert.Null(PodSpec["hostPID"]);
    }

    [KubectlFact]
    public void Only_restricted_volume_types_are_used_and_tmp_is_the_one_writable_place()
    {
        var allowed = new[] { "configMap", "secret", "projected", "emptyDir", "downwardAPI", "csi", "ephemeral", "persistentVolumeClaim" };
        foreach (var volume in PodSpec["volumes"]!.AsArray())
        {
            var source = Assert.Single(volume!.AsObject(), p => p.Key != "name").Key;
            Assert.Contains(source, allowed);
        }
        var mount = Assert.Single(OperatorContainer["volumeMounts"]!.AsArray())!;
        Assert.Equal("/tmp", (string?)mount["mountPath"]);
        var volume0 = Assert.Single(PodSpec["volumes"]!.AsArray(), v => (string?)v!["name"] == (string?)mount["name"])!;
        Assert.NotNull(volume0["emptyDir"]);
    }

    [KubectlFact]
    public void Probes_hit_healthz_and_readyz_on_the_health_port_8081()
    {
        var port = Assert.Single(OperatorContainer["ports"]!.AsArray())!;
        Assert.Equal(8081, (long)port["containerPort"]!);
        var portName = (string)port["name"]!;
        AssertProbe(OperatorContainer["livenessProbe"], "/healthz", portName);
        AssertProbe(OperatorContainer["readinessProbe"], "/readyz", portName);
    }

    private static void AssertProbe(JsonNode? probe, string path, string portName)
    {
        Assert.NotNull(probe);
        var get = probe["httpGet"]!;
        Assert.Equal(path, (string?)get["path"]);
        var port = get["port"]!;
        Assert.True(port.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (long)port == 8081 : (string)port! == portName,
            $"{path} probe targets port {port.ToJsonString()}");
    }

    [KubectlFact]
    public void Pod_identity_comes_from_the_downward_api_and_the_lease_lives_in_the_pod_namespace()
    {
        var env = OperatorContainer["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!.AsObject());
        Assert.Equal("metadata.name", (string?)env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        // $(VAR) expands only from variables defined earlier in the list.
        var names = env.Keys.ToList();
        Assert.True(names.IndexOf("POD_NAMESPACE") < names.IndexOf("CONNECTOROPERATOR_Host__LeaseNamespace"));
        Assert.Equal("$(POD_NAMESPACE)", (string?)env["CONNECTOROPERATOR_Host__LeaseNamespace"]["value"]);
    }

    [KubectlFact]
    public void Resources_are_requested_and_memory_is_limited()
    {
        var resources = OperatorContainer["resources"]!;
        Assert.NotNull(resources["requests"]!["cpu"]);
        Assert.NotNull(resources["requests"]!["memory"]);
        Assert.NotNull(resources["limits"]!["memory"]);
    }

    [KubectlFact]
    public void A_budget_keeps_one_replica_and_replicas_spread_over_nodes()
    {
        var selector = Deployment["spec"]!["selector"]!["matchLabels"]!;
        var budget = Manifests.Single("PodDisruptionBudget", "connector-operator")["spec"]!;
        Assert.Equal(1, (long)budget["minAvailable"]!);
        Assert.True(JsonNode.DeepEquals(selector, budget["selector"]!["matchLabels"]));

        var spread = PodSpec["topologySpreadConstraints"]!.AsArray();
        var byHost = Assert.Single(spread, c => (string?)c!["topologyKey"] == "kubernetes.io/hostname")!;
        Assert.True(JsonNode.DeepEquals(selector, byHost["labelSelector"]!["matchLabels"]));
        var templateLabels = Deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.All(selector.AsObject(), p => Assert.Equal((string?)p.Value, (string?)templateLabels[p.Key]));
    }

    [KubectlFact]
    public void The_operator_service_account_holds_every_permission_the_operator_uses_and_no_more()
    {
        var roles = Manifests.RolesBoundTo("connector-operator", Namespace).ToList();
        var clusterWide = roles.Where(r => r.Namespace is null).SelectMany(r => Permission.Granted(r.Role)).ToHashSet();
        var inOwnNamespace = roles.Where(r => r.Namespace == Namespace).SelectMany(r => Permission.Granted(r.Role)).ToHashSet();
        Assert.DoesNotContain(roles, r => r.Namespace is not null && r.Namespace != Namespace);

        Assert.Empty(OperatorPermissions.InWatchedNamespaces.Except(clusterWide).Select(p => $"missing: {p}"));
        Assert.Empty(clusterWide.Except(OperatorPermissions.InWatchedNamespaces).Select(p => $"broader than needed: {p}"));
        Assert.Empty(OperatorPermissions.LeaderElection.Except(inOwnNamespace).Select(p => $"missing in {Namespace}: {p}"));
        Assert.Empty(inOwnNamespace.Except(OperatorPermissions.LeaderElection).Select(p => $"broader than needed in {Namespace}: {p}"));
    }

    [KubectlFact]
    public void Deploy_production_is_granted_by_its_own_role_aggregated_into_admin_and_not_edit()
    {
        var deployer = Manifests.Single("ClusterRole", "agentconnector-production-deployer");
        var deploy = new Permission("connectoroperator.dev", "agentconnectors", "deploy-production");
        Assert.Equal([deploy], Permission.Granted(deployer));
        var labels = deployer["metadata"]!["labels"]!.AsObject();
        Assert.Equal("true", (string?)labels["rbac.authorization.k8s.io/aggregate-to-admin"]);
        Assert.Null(labels["rbac.authorization.k8s.io/aggregate-to-edit"]);
        Assert.All(Manifests.OfKind("ClusterRole").Where(r => r != deployer), r => Assert.DoesNotContain(deploy, Permission.Granted(r)));

        var policy = Manifests.Single("ValidatingAdmissionPolicy", "agentconnector-production-deployers");
        var binding = Manifests.Single("ValidatingAdmissionPolicyBinding", "agentconnector-production-deployers");
        Assert.Equal("agentconnector-production-deployers", (string?)binding["spec"]!["policyName"]);
        Assert.Equal(["Deny"], binding["spec"]!["validationActions"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Fail", (string?)policy["spec"]!["failurePolicy"]);
    }

    [KubectlFact]
    public void No_role_uses_wildcards_resource_name_lists_or_non_resource_urls()
    {
        foreach (var role in Manifests.OfKind("ClusterRole").Concat(Manifests.OfKind("Role")))
        {
            var name = (string?)role["metadata"]!["name"];
            Assert.Null(role["aggregationRule"]);
            foreach (var rule in role["rules"]!.AsArray())
            {
                var values = new[] { "apiGroups", "resources", "verbs" }.SelectMany(k => Permission.Strings(rule![k]));
                Assert.DoesNotContain(values, v => v.Contains('*', StringComparison.Ordinal));
                Assert.Null(rule!["nonResourceURLs"]);
                Assert.True(rule["resourceNames"] is null, $"{name}: resourceNames would not limit list/watch/create");
            }
        }
    }

    [KubectlFact]
    public void Users_get_aggregated_editor_and_viewer_roles_for_agent_connectors_only()
    {
        var editor = Manifests.Single("ClusterRole", "connectoroperator-agentconnector-editor");
        var viewer = Manifests.Single("ClusterRole", "connectoroperator-agentconnector-viewer");
        Assert.Equal("true", (string?)editor["metadata"]!["labels"]!["rbac.authorization.k8s.io/aggregate-to-edit"]);
        Assert.Equal("true", (string?)editor["metadata"]!["labels"]!["rbac.authorization.k8s.io/aggregate-to-admin"]);
        Assert.Equal("true", (string?)viewer["metadata"]!["labels"]!["rbac.authorization.k8s.io/aggregate-to-view"]);

        var edits = Permission.Granted(editor);
        var views = Permission.Granted(viewer);
        Assert.All(edits.Concat(views), p => Assert.Equal("connectoroperator.dev", p.Group));
        Assert.Contains(new Permission("connectoroperator.dev", "agentconnectors", "create"), edits);
        Assert.Contains(new Permission("connectoroperator.dev", "agentconnectors/scale", "update"), edits);
        // Status is the operator's to write: nobody else's observations belong there.
        Assert.DoesNotContain(edits, p => p.Resource == "agentconnectors/status" && p.Verb != "get");
        Assert.All(views, p => Assert.Contains(p.Verb, new[] { "get", "list", "watch" }));
    }
}
