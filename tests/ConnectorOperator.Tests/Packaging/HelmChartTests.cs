using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>charts/connector-operator, checked without a helm binary: its files and its values (its RBAC: ChartRbacTests).</summary>
public sealed partial class HelmChartTests
{
    private const string Chart = "charts/connector-operator";

    private static JsonObject Values => YamlDocuments.ParseSingle(RepositoryFiles.Read($"{Chart}/values.yaml"));

    private static IEnumerable<string> Templates() => Directory.GetFiles(RepositoryFiles.PathOf($"{Chart}/templates"));

    [Fact]
    public void The_chart_crds_are_byte_identical_to_config_crd_bases()
    {
        var bases = Directory.GetFiles(RepositoryFiles.PathOf("config/crd/bases"), "*.yaml").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        var copies = Directory.GetFiles(RepositoryFiles.PathOf($"{Chart}/crds")).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.NotEmpty(bases);
        Assert.True(bases.Keys.Order(StringComparer.Ordinal).SequenceEqual(copies.Keys.Order(StringComparer.Ordinal)),
            $"{Chart}/crds holds [{string.Join(", ", copies.Keys)}] but config/crd/bases holds [{string.Join(", ", bases.Keys)}]: run make manifests");
        foreach (var (name, bytes) in bases)
            Assert.True(bytes.AsSpan().SequenceEqual(copies[name]), $"{Chart}/crds/{name} differs from config/crd/bases/{name}: run make manifests");
    }

    [Fact]
    public void Chart_yaml_is_an_application_chart_whose_app_version_matches_the_kustomize_image_tag()
    {
        var chart = YamlDocuments.ParseSingle(RepositoryFiles.Read($"{Chart}/Chart.yaml"));
        Assert.Equal("v2", (string?)chart["apiVersion"]);
        Assert.Equal("connector-operator", (string?)chart["name"]);
        Assert.Equal("application", (string?)chart["type"]);
        Assert.Matches(SemVer(), (string)chart["version"]!);
        var appVersion = (string)chart["appVersion"]!;
        Assert.Matches(SemVer(), appVersion);

        var manager = YamlDocuments.ParseSingle(RepositoryFiles.Read("config/manager/kustomization.yaml"));
        var image = Assert.Single(manager["images"]!.AsArray())!;
        Assert.Equal((string?)image["name"], (string?)Values["image"]!["repository"]);
        Assert.Equal(appVersion, (string?)image["newTag"]);
    }

    [Fact]
    public void Values_yaml_parses_with_safe_defaults()
    {
        var values = Values;
        Assert.Equal(2, (long)values["replicaCount"]!);
        Assert.True((bool)values["leaderElection"]!["enabled"]!);
        Assert.Empty(values["watchNamespaces"]!.AsArray());
        Assert.Equal(1, (long)values["podDisruptionBudget"]!["minAvailable"]!);
        Assert.NotNull(values["resources"]!["limits"]!["memory"]);
    }

    [Fact]
    public void Every_value_a_template_reads_is_declared_in_values_yaml()
    {
        var values = Values;
        var missing = Templates()
            .SelectMany(t => ValuesReference().Matches(File.ReadAllText(t)).Select(m => (Template: Path.GetFileName(t), Path: m.Groups[1].Value)))
            .Where(r => !Resolves(values, r.Path))
            .Select(r => $"{r.Template}: .Values.{r.Path}")
            .Distinct()
            .ToList();
        Assert.Empty(missing);
    }

    private static bool Resolves(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject map || !map.ContainsKey(part)) return false;
            node = map[part];
        }
        return true;
    }

    [Fact]
    public void Template_actions_are_balanced()
    {
        foreach (var template in Templates())
        {
            var text = File.ReadAllText(template);
            var name = Path.GetFileName(template);
            Assert.True(text.Split("{{").Length == text.Split("}}").Length, $"{name}: unbalanced {{{{ }}}}");
            var actions = TemplateAction().Matches(text).Select(m => m.Groups[1].Value).ToList();
            var opened = actions.Count(a => a is "if" or "range" or "with" or "define");
            Assert.True(opened == actions.Count(a => a == "end"), $"{name}: {opened} blocks opened, {actions.Count(a => a == "end")} ended");
        }
    }

    [Fact]
    public void The_chart_ships_the_production_policy_of_config_policy_on_by_default()
    {
        Assert.True((bool)Values["productionPolicy"]!["enabled"]!);
        // Without the template lines (conditions, labels), the chart's policy documents are config/policy's.
        var template = string.Join('\n', RepositoryFiles.Read($"{Chart}/templates/production-policy.yaml").Split('\n')
            .Where(line => !line.TrimStart().StartsWith("{{", StringComparison.Ordinal) && !line.TrimStart().StartsWith("labels:", StringComparison.Ordinal)));
        var fromChart = YamlDocuments.Parse(template);
        var shipped = YamlDocuments.Parse(RepositoryFiles.Read("config/policy/production_deployers_policy.yaml"));
        Assert.Equal(shipped.Count, fromChart.Count);
        for (var i = 0; i < shipped.Count; i++)
        {
            Assert.Equal((string?)shipped[i]["metadata"]!["name"], (string?)fromChart[i]["metadata"]!["name"]);
            Assert.True(JsonNode.DeepEquals(shipped[i]["spec"], fromChart[i]["spec"]), $"{shipped[i]["kind"]} differs between the chart and config/policy");
        }
        var userRoles = RepositoryFiles.Read($"{Chart}/templates/user-roles.yaml");
        Assert.Contains("name: agentconnector-production-deployer", userRoles, StringComparison.Ordinal);
        Assert.Contains("verbs: [deploy-production]", userRoles, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_policy_admits_only_the_operator_namespace_and_nodes_to_the_connector_port_by_default()
    {
        var values = Values["networkPolicy"]!;
        Assert.True((bool)values["enabled"]!);
        Assert.Equal(new ConnectorOperator.Reconciliation.OperatorSettings().ConnectorPort, (int)(long)values["connectorPort"]!);
        var template = RepositoryFiles.Read($"{Chart}/templates/networkpolicy.yaml");
        Assert.Contains("kubernetes.io/metadata.name: {{ $.Release.Namespace }}", template, StringComparison.Ordinal);
        Assert.Contains("app.kubernetes.io/component: connector", template, StringComparison.Ordinal);
        Assert.Contains("policyTypes: [Ingress]", template, StringComparison.Ordinal);
        Assert.Contains("range $cidr := $.Values.networkPolicy.nodeCidrs", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_namespaces_become_operator_namespace_settings()
    {
        var deployment = RepositoryFiles.Read($"{Chart}/templates/deployment.yaml");
        Assert.Contains("range $index, $namespace := .Values.watchNamespaces", deployment, StringComparison.Ordinal);
        Assert.Contains("- name: CONNECTOROPERATOR_Operator__Namespaces__{{ $index }}", deployment, StringComparison.Ordinal);
        Assert.Contains("value: $(POD_NAMESPACE)", deployment, StringComparison.Ordinal);
        foreach (var probe in new[] { "path: /healthz", "path: /readyz", "containerPort: 8081", "readOnlyRootFilesystem: true", "runAsUser: 65532" })
            Assert.Contains(probe, deployment, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{-?\s*(if|range|with|define|end)\b")]
    private static partial Regex TemplateAction();
}
