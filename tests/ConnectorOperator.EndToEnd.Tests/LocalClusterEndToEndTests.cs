using System.Diagnostics;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>
/// The local cluster as <c>make run</c> starts it, with real connector processes: API server double, process kubelet,
/// Conversational Cloud simulator and the operator, all driven through the API as a user would.
/// </summary>
public sealed class LocalClusterEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task Demo_connector_goes_Online_stopping_it_leaves_no_pods_and_no_connector_process_and_running_again_brings_it_back_Online()
    {
        var layout = RepositoryLayout.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the repository");
        var logs = Path.Combine(Path.GetTempPath(), "connector-operator-e2e", Guid.NewGuid().ToString("N"));
        var pids = new HashSet<int>();
        var cluster = await LocalDevCluster.StartAsync(new LocalDevClusterOptions
        {
            ConnectorAssembly = layout.ConnectorAssembly(RepositoryLayout.Configuration),
            LogDirectory = logs,
            // Concurrent runs on one machine get different pod addresses.
            PodSubnet = (byte)Random.Shared.Next(100, 250),
            ProbePeriodScale = 0.2,
            DrainSeconds = 2,
        });
        try
        {
            cluster.ApplyDemo();
            await WaitForAsync(cluster, () => State(cluster) == "Online", "the demo connector is Online", logs);
            foreach (var pid in cluster.Kubelet.RunningProcesses.Values) pids.Add(pid);
            Assert.NotEmpty(pids);

            cluster.Api.ModifyObject($"{AgentConnector.Group}/{AgentConnector.Version}", AgentConnector.KindName, DemoResources.Namespace, DemoResources.Name, c =>
            {
                c["spec"]!["running"] = false;
                return c;
            });
            await WaitForAsync(cluster, () => State(cluster) == "Stopped" && Pods(cluster).Count == 0 && cluster.Kubelet.RunningProcesses.Count == 0,
                "Stopped with no pods and no connector process", logs);
            Assert.All(pids, pid => Assert.False(Alive(pid), $"connector process {pid} still runs"));

            cluster.Api.ModifyObject($"{AgentConnector.Group}/{AgentConnector.Version}", AgentConnector.KindName, DemoResources.Namespace, DemoResources.Name, c =>
            {
                c["spec"]!["running"] = true;
                return c;
            });
            await WaitForAsync(cluster, () => State(cluster) == "Online" && Pods(cluster).Count >= 1 && cluster.Kubelet.RunningProcesses.Count >= 1,
                "the demo connector is Online again with new connector processes", logs);
            var restarted = cluster.Kubelet.RunningProcesses.Values.ToList();
            Assert.All(restarted, pid => Assert.DoesNotContain(pid, pids));
            foreach (var pid in restarted) pids.Add(pid);
        }
        finally
        {
            // Disposing kills whatever still runs, on failure too.
            await cluster.DisposeAsync();
            TryDelete(logs);
        }
        Assert.All(pids, pid => Assert.False(Alive(pid)));
    }

    private static string? State(LocalDevCluster cluster) => cluster.GetAgentConnector()?["status"]?["state"]?.GetValue<string>();

    private static IReadOnlyList<JsonObject> Pods(LocalDevCluster cluster) =>
        cluster.Api.ListObjects("v1", "Pod", DemoResources.Namespace, $"connectoroperator.dev/agent-connector={DemoResources.Name}");

    private static async Task WaitForAsync(LocalDevCluster cluster, Func<bool> condition, string what, string logs)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < Bound)
        {
            if (condition()) return;
            await Task.Delay(100);
        }
        var connectorLogs = Directory.Exists(logs)
            ? string.Join("\n", Directory.GetFiles(logs).Select(f => $"--- {Path.GetFileName(f)}\n{ReadTail(f)}"))
            : "(no logs)";
        Assert.Fail($"timed out after {Bound.TotalSeconds} s waiting until {what}; status: {cluster.GetAgentConnector()?["status"]?.ToJsonString()}\n" +
            $"pods: {string.Join(", ", Pods(cluster).Select(p => p["status"]?.ToJsonString()))}\n{connectorLogs}");
    }

    private static string ReadTail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return text.Length > 4000 ? text[^4000..] : text;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory.
        }
    }
}
