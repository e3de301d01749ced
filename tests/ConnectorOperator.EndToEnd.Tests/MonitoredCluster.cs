using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using YamlDotNet.RepresentationModel;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>
/// The demo on the local cluster, Online with one conversation held, and what a monitoring stack would scrape:
/// the operator's /metrics and each connector pod's. Also reads the shipped dashboard queries and alert rules.
/// </summary>
internal static partial class MonitoredCluster
{
    public static async Task<ClusterUnderTest> StartWithOneConversationAsync()
    {
        var cluster = await ClusterUnderTest.StartAsync();
        try
        {
            cluster.Cluster.ApplyDemo();
            await cluster.WaitForAsync(() => cluster.State == "Online" && (cluster.Connector?["status"]?["readyReplicas"]?.GetValue<int>() ?? 0) >= 2,
                "the demo is Online with its connectors ready");
            var options = cluster.Cluster.Simulator.Options;
            cluster.Cluster.Simulator.OpenConversation(DemoResources.Account(options).Id, DemoResources.BotSkill(options), "hello from the e2e test");
            var deadline = DateTime.UtcNow + ClusterUnderTest.Bound;
            while (DateTime.UtcNow < deadline && (await ActiveByTargetAsync(cluster)).Values.Sum() != 1) await Task.Delay(200);
            Assert.Equal(1, (await ActiveByTargetAsync(cluster)).Values.Sum());
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public static Uri OperatorMetrics(ClusterUnderTest cluster) => OperatorApp.MetricsUrl(cluster.Cluster.Operator);

    /// <summary>host:port of each running connector pod's http port.</summary>
    public static IReadOnlyList<string> ConnectorTargets(ClusterUnderTest cluster) =>
        [.. cluster.Pods.Where(p => p["status"]?["phase"]?.GetValue<string>() == "Running" && p["status"]?["podIP"] is not null)
            .Select(p => $"{p["status"]!["podIP"]!.GetValue<string>()}:{HttpPort(p)}")];

    /// <summary>Each connector's <c>activeConversations</c> from its /status, by scrape target.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ActiveByTargetAsync(ClusterUnderTest cluster)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var target in ConnectorTargets(cluster))
        {
            try
            {
                var status = await http.GetFromJsonAsync<JsonObject>($"http://{target}/status");
                result[target] = status!["activeConversations"]!.GetValue<int>();
            }
            catch (HttpRequestException)
            {
                // Not answering yet.
            }
        }
        return result;
    }

    public static string RepositoryFile(string relative)
    {
        var layout = RepositoryLayout.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the repository");
        return Path.Combine(layout.Root, relative);
    }

    public static IReadOnlyList<string> DashboardQueries() =>
        [.. JsonNode.Parse(File.ReadAllText(RepositoryFile("config/grafana/connector-operator-dashboard.json")))!["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>())];

    public static IReadOnlyList<string> AlertExpressions()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(RepositoryFile("config/prometheus/connector-operator.rules.yaml")))) yaml.Load(reader);
        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        return [.. groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()).Select(r => ((YamlScalarNode)r["expr"]).Value!)];
    }

    /// <summary>Metric names a PromQL expression reads (ours and the collectors' prefixes; functions and labels are not names).</summary>
    public static IEnumerable<string> MetricNames(string expression) =>
        MetricName().Matches(LabelMatchers().Replace(expression, "")).Select(m => m.Value).Distinct();

    private static int HttpPort(JsonObject pod) =>
        pod["spec"]!["containers"]!.AsArray().SelectMany(c => c!["ports"]?.AsArray() ?? []).First(p => p!["name"]?.GetValue<string>() == "http")!["containerPort"]!.GetValue<int>();

    [GeneratedRegex(@"\b(connector_[a-z0-9_]+|process_[a-z0-9_]+|dotnet_[a-z0-9_]+)\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();
}
