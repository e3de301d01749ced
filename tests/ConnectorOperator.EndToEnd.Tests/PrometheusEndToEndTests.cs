using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ConnectorOperator.Dev;
using ConnectorOperator.TestSupport.Tools;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>
/// The operator and real connector processes watched the way a platform team watches them: a real Prometheus
/// server (Debian's) on loopback scrapes both, and its HTTP API is asked what the dashboard and the alerts ask.
/// </summary>
public sealed class PrometheusEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_dashboard_query_and_alert_expression_names_only_metrics_the_operator_and_connectors_export()
    {
        await using var cluster = await MonitoredCluster.StartWithOneConversationAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var families = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in new[] { await http.GetStringAsync(MonitoredCluster.OperatorMetrics(cluster)) }
            .Concat(await Task.WhenAll(MonitoredCluster.ConnectorTargets(cluster).Select(t => http.GetStringAsync(new Uri($"http://{t}/metrics"))))))
        {
            foreach (var (family, type) in new PrometheusText(text).Types)
            {
                families.Add(family);
                if (type == "histogram") families.UnionWith([family + "_bucket", family + "_sum", family + "_count"]);
            }
        }

        var queries = MonitoredCluster.DashboardQueries().Concat(MonitoredCluster.AlertExpressions()).ToList();
        var unknown = queries.SelectMany(q => MonitoredCluster.MetricNames(q).Where(n => !families.Contains(n)).Select(n => $"{n} in: {q}")).ToList();
        Assert.True(unknown.Count == 0, "names no process exports:\n" + string.Join('\n', unknown));
        Assert.True(queries.Sum(q => MonitoredCluster.MetricNames(q).Count()) > 20, "the name check found the metric names");
    }

    [PrometheusServerFact]
    public async Task A_real_prometheus_scrapes_everything_up_agrees_with_the_status_and_evaluates_every_dashboard_and_alert_query()
    {
        await using var cluster = await MonitoredCluster.StartWithOneConversationAsync();
        var operatorTarget = MonitoredCluster.OperatorMetrics(cluster).Authority;
        var connectors = MonitoredCluster.ConnectorTargets(cluster);
        await using var prometheus = await PrometheusServer.StartAsync(operatorTarget, connectors, MonitoredCluster.RepositoryFile("config/prometheus/connector-operator.rules.yaml"));

        // Two scrapes of every target, each one up.
        var expected = connectors.Count + 1;
        await prometheus.WaitForAsync(async () =>
        {
            var scrapes = await prometheus.VectorAsync("count_over_time(up[5m])");
            return scrapes.Count == expected && scrapes.All(s => s.Value >= 2);
        }, "two scrapes of every target");
        var up = await prometheus.VectorAsync("up");
        Assert.Equal(expected, up.Count);
        Assert.All(up, s => Assert.Equal(1, s.Value));

        // The operator's ready gauge is the resource's status.readyReplicas.
        var ready = cluster.Connector!["status"]!["readyReplicas"]!.GetValue<int>();
        var selector = $"{{namespace=\"{DemoResources.Namespace}\",name=\"{DemoResources.Name}\"}}";
        await prometheus.WaitForAsync(async () => (await prometheus.VectorAsync("connector_operator_agentconnector_ready_replicas" + selector)).SingleOrDefault()?.Value == ready,
            "the ready gauge equals status.readyReplicas");

        // A connector's active-conversations metric is its /status.
        var active = await MonitoredCluster.ActiveByTargetAsync(cluster);
        await prometheus.WaitForAsync(async () =>
        {
            var series = await prometheus.VectorAsync("connector_active_conversations");
            return active.All(a => series.Any(s => s.Labels["instance"] == a.Key && s.Value == a.Value));
        }, "connector_active_conversations of each connector equals its /status activeConversations");
        Assert.Contains(active, a => a.Value == 1);

        // Every dashboard query and alert expression evaluates without error.
        foreach (var query in MonitoredCluster.DashboardQueries().Concat(MonitoredCluster.AlertExpressions()))
            await prometheus.VectorAsync(query);
        await prometheus.WaitForAsync(async () =>
        {
            var rules = await prometheus.RulesAsync();
            return rules.Count == 6 && rules.All(r => r.Health == "ok");
        }, "the loaded alert rules evaluate with health ok");
    }

    /// <summary>Debian's Prometheus on a free loopback port, its config and data in a temporary folder, killed on disposal.</summary>
    private sealed class PrometheusServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;
        private readonly HttpClient _http;

        private PrometheusServer(Process process, string directory, Uri address)
        {
            _process = process;
            _directory = directory;
            _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        }

        public static async Task<PrometheusServer> StartAsync(string operatorTarget, IReadOnlyList<string> connectorTargets, string rulesFile)
        {
            var directory = Path.Combine(Path.GetTempPath(), "connector-operator-prometheus", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                - {rulesFile}
                scrape_configs:
                - job_name: connector-operator
                  honor_labels: true
                  static_configs:
                  - targets: ['{operatorTarget}']
                - job_name: connectors
                  static_configs:
                  - targets: [{string.Join(", ", connectorTargets.Select(t => $"'{t}'"))}]
                """);
            var port = FreePort();
            var start = new ProcessStartInfo(PrometheusServerFactAttribute.Server.Path!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h",
            })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
            await server.WaitForAsync(async () =>
            {
                try
                {
                    return (await server._http.GetAsync("-/ready")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "Prometheus is ready");
            return server;
        }

        /// <summary>An instant query; a query Prometheus rejects fails the test with its error.</summary>
        public async Task<IReadOnlyList<Sample>> VectorAsync(string query)
        {
            var answer = JsonNode.Parse(await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query)))!;
            Assert.True(answer["status"]?.GetValue<string>() == "success", $"{query}: {answer.ToJsonString()}");
            var data = answer["data"]!;
            if (data["resultType"]!.GetValue<string>() == "scalar")
                return [new Sample(new Dictionary<string, string>(), double.Parse(data["result"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture))];
            return [.. data["result"]!.AsArray().Select(r => new Sample(
                r!["metric"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()),
                double.Parse(r["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture)))];
        }

        public async Task<IReadOnlyList<(string Name, string Health)>> RulesAsync()
        {
            var answer = JsonNode.Parse(await _http.GetStringAsync("api/v1/rules"))!;
            return [.. answer["data"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray())
                .Select(r => (r!["name"]!.GetValue<string>(), r["health"]!.GetValue<string>()))];
        }

        public async Task WaitForAsync(Func<Task<bool>> condition, string what)
        {
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < Bound)
            {
                if (await condition()) return;
                await Task.Delay(250);
            }
            Assert.Fail($"timed out after {Bound.TotalSeconds} s waiting until {what}");
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder.
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    private sealed record Sample(IReadOnlyDictionary<string, string> Labels, double Value);
}
