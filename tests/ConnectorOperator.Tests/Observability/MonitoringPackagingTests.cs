using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConnectorOperator.Tests.Packaging;
using ConnectorOperator.Tests.Support;
using ConnectorOperator.TestSupport.Tools;
using Json.Schema;

namespace ConnectorOperator.Tests.Observability;

/// <summary>What ships for a platform team's Prometheus and Grafana, checked by the real tools where they exist.</summary>
public sealed partial class MonitoringPackagingTests
{
    private const string Rules = "config/prometheus/connector-operator.rules.yaml";
    private const string Dashboard = "config/grafana/connector-operator-dashboard.json";

    [PromtoolFact]
    public void Alert_rules_pass_promtool_check_rules()
    {
        var result = Promtool.Tool.Run(["check", "rules", RepositoryFiles.PathOf(Rules)]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("SUCCESS: 6 rules found", result.Output, StringComparison.Ordinal);
    }

    [PromtoolFact]
    public void Every_alert_passes_its_promtool_unit_tests()
    {
        var result = Promtool.Tool.Run(["test", "rules", "connector-operator.rules.test.yaml"], workingDirectory: RepositoryFiles.PathOf("config/prometheus"));
        Assert.True(result.ExitCode == 0, result.Output);
        var tests = YamlDocuments.ParseSingle(RepositoryFiles.Read("config/prometheus/connector-operator.rules.test.yaml"));
        var tested = tests["tests"]!.AsArray().SelectMany(t => t!["alert_rule_test"]!.AsArray()).Select(a => (string)a!["alertname"]!).ToHashSet();
        Assert.Equal(AlertNames().Order(StringComparer.Ordinal), tested.Order(StringComparer.Ordinal));
        // Each alert is tested both before it fires and firing.
        foreach (var alert in AlertNames())
        {
            var cases = tests["tests"]!.AsArray().SelectMany(t => t!["alert_rule_test"]!.AsArray()).Where(a => (string)a!["alertname"]! == alert).ToList();
            Assert.Contains(cases, c => c!["exp_alerts"]!.AsArray().Count == 0);
            Assert.Contains(cases, c => c!["exp_alerts"]!.AsArray().Count > 0);
        }
    }

    [Fact]
    public void The_prometheus_rule_and_the_chart_carry_the_same_rules()
    {
        var rules = YamlDocuments.ParseSingle(RepositoryFiles.Read(Rules));
        var rule = YamlDocuments.ParseSingle(RepositoryFiles.Read("config/prometheus/prometheusrule.yaml"));
        Assert.Equal("PrometheusRule", (string?)rule["kind"]);
        Assert.True(JsonNode.DeepEquals(rules["groups"], rule["spec"]!["groups"]), "config/prometheus/prometheusrule.yaml differs from the rule file");
        Assert.Equal(RepositoryFiles.Read(Rules), RepositoryFiles.Read("charts/connector-operator/files/connector-operator.rules.yaml"));
        Assert.Equal(RepositoryFiles.Read(Dashboard), RepositoryFiles.Read("charts/connector-operator/files/connector-operator-dashboard.json"));
        Assert.Contains(".Files.Get \"files/connector-operator.rules.yaml\"", RepositoryFiles.Read("charts/connector-operator/templates/prometheusrule.yaml"), StringComparison.Ordinal);
        Assert.Contains(".Files.Get \"files/connector-operator-dashboard.json\"", RepositoryFiles.Read("charts/connector-operator/templates/dashboard-configmap.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_dashboard_panel_queries_prometheus_and_the_questions_the_issue_asks_are_on_it()
    {
        var panels = DashboardPanels();
        Assert.All(panels, p => Assert.NotEmpty(p["targets"]!.AsArray()));
        var queries = string.Join('\n', DashboardQueries());
        foreach (var metric in new[]
        {
            "connector_operator_agentconnector_state", "connector_operator_agentconnector_ready_replicas", "connector_operator_agentconnector_desired_replicas",
            "connector_operator_agentconnector_active_conversations", "connector_operator_agentconnector_waiting_conversations",
            "connector_operator_agentconnector_capacity_conversations", "connector_operator_reconcile_total", "connector_operator_reconcile_duration_seconds_bucket",
            "connector_operator_workqueue_depth", "connector_operator_api_requests_total", "connector_bot_round_trip_seconds_bucket",
        })
        {
            Assert.Contains(metric, queries, StringComparison.Ordinal);
        }
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
    }

    [KubectlFact]
    public void Kustomize_builds_the_monitoring_pieces_and_the_default_base_has_the_metrics_service()
    {
        var prometheus = RenderedManifests.Kustomize("config/prometheus");
        Assert.Single(prometheus.OfKind("ServiceMonitor"));
        Assert.Single(prometheus.OfKind("PodMonitor"));
        Assert.Single(prometheus.OfKind("PrometheusRule"));
        var monitor = prometheus.OfKind("ServiceMonitor").Single();
        Assert.True((bool)monitor["spec"]!["endpoints"]![0]!["honorLabels"]!);

        var grafana = RenderedManifests.Kustomize("config/grafana");
        var dashboard = grafana.Single("ConfigMap", "connector-operator-dashboard");
        Assert.Equal("1", (string?)dashboard["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(RepositoryFiles.Read(Dashboard)), JsonNode.Parse((string)dashboard["data"]!["connector-operator-dashboard.json"]!)));

        var service = RenderedManifests.Kustomize("config/default").Single("Service", "connector-operator-metrics");
        Assert.Equal("health", (string?)service["spec"]!["ports"]![0]!["targetPort"]);
    }

    [Fact]
    public void Values_yaml_and_the_documented_value_examples_satisfy_values_schema_json()
    {
        var schema = JsonSchema.FromText(RepositoryFiles.Read("charts/connector-operator/values.schema.json"));
        AssertValid(schema, YamlDocuments.ParseSingle(RepositoryFiles.Read("charts/connector-operator/values.yaml")), "values.yaml");
        var examples = DocumentedValueExamples().ToList();
        Assert.NotEmpty(examples);
        foreach (var (doc, yaml) in examples) AssertValid(schema, YamlDocuments.ParseSingle(yaml), doc);

        // And it is not a schema that accepts anything.
        var typo = YamlDocuments.ParseSingle("metrics:\n  serviceMonitor:\n    enabeld: true\n");
        Assert.False(schema.Evaluate(JsonSerializer.SerializeToElement(typo)).IsValid, "a misspelt key must be rejected");
        var wrongType = YamlDocuments.ParseSingle("replicaCount: two\n");
        Assert.False(schema.Evaluate(JsonSerializer.SerializeToElement(wrongType)).IsValid, "a string replica count must be rejected");
    }

    [Fact]
    public void Values_schema_json_declares_every_top_level_value()
    {
        var values = YamlDocuments.ParseSingle(RepositoryFiles.Read("charts/connector-operator/values.yaml"));
        var schema = JsonNode.Parse(RepositoryFiles.Read("charts/connector-operator/values.schema.json"))!;
        var declared = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        var undeclared = values.Select(v => v.Key).Where(k => !declared.Contains(k)).ToList();
        Assert.True(undeclared.Count == 0, $"values.schema.json lacks: {string.Join(", ", undeclared)}");
    }

    internal static IReadOnlyList<string> AlertNames() =>
        [.. YamlDocuments.ParseSingle(RepositoryFiles.Read(Rules))["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string)r!["alert"]!)];

    internal static IReadOnlyList<string> AlertExpressions() =>
        [.. YamlDocuments.ParseSingle(RepositoryFiles.Read(Rules))["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string)r!["expr"]!)];

    internal static IReadOnlyList<string> DashboardQueries() =>
        [.. DashboardPanels().SelectMany(p => p["targets"]!.AsArray()).Select(t => (string)t!["expr"]!)];

    private static List<JsonObject> DashboardPanels() => [.. JsonNode.Parse(RepositoryFiles.Read(Dashboard))!["panels"]!.AsArray().OfType<JsonObject>()];

    /// <summary>Chart values shown in the docs: ```yaml blocks whose first line is <c># chart values</c>.</summary>
    private static IEnumerable<(string Doc, string Yaml)> DocumentedValueExamples() =>
        Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md")
            .SelectMany(doc => ValuesBlock().Matches(File.ReadAllText(doc)).Select(m => (Path.GetFileName(doc), m.Groups[1].Value)));

    private static void AssertValid(JsonSchema schema, JsonObject instance, string what)
    {
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, $"{what} does not satisfy values.schema.json: {string.Join("; ", errors)}");
    }

    [GeneratedRegex(@"```yaml\n# chart values\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ValuesBlock();
}
