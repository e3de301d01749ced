using System.Diagnostics;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>
/// One local cluster with real connector processes for one test: started the way the existing end-to-end test
/// starts it, every connector process it ever ran remembered, and on disposal everything stopped and checked gone.
/// </summary>
internal sealed class ClusterUnderTest : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    private readonly HashSet<int> _pids = [];

    private ClusterUnderTest(LocalDevCluster cluster, string logs, string? kubeconfig)
    {
        Cluster = cluster;
        Logs = logs;
        KubeconfigPath = kubeconfig;
    }

    public LocalDevCluster Cluster { get; }

    public string Logs { get; }

    public string? KubeconfigPath { get; }

    public static async Task<ClusterUnderTest> StartAsync(bool writeKubeconfig = false, IReadOnlyList<string>? operatorArguments = null)
    {
        var layout = RepositoryLayout.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("not inside the repository");
        var logs = Path.Combine(Path.GetTempPath(), "connector-operator-e2e", Guid.NewGuid().ToString("N"));
        var kubeconfig = writeKubeconfig ? Path.Combine(logs, "kubeconfig") : null;
        var cluster = await LocalDevCluster.StartAsync(new LocalDevClusterOptions
        {
            ConnectorAssembly = layout.ConnectorAssembly(RepositoryLayout.Configuration),
            LogDirectory = logs,
            KubeconfigPath = kubeconfig,
            // Concurrent runs on one machine get different pod addresses.
            PodSubnet = (byte)Random.Shared.Next(100, 250),
            ProbePeriodScale = 0.2,
            DrainSeconds = 2,
            BackOffInitial = TimeSpan.FromSeconds(1),
            OperatorArguments = operatorArguments ?? [],
        });
        return new ClusterUnderTest(cluster, logs, kubeconfig);
    }

    public JsonObject? Connector => Cluster.GetAgentConnector();

    public string? State => Connector?["status"]?["state"]?.GetValue<string>();

    public JsonArray ConnectorRows => Connector?["status"]?["connectors"] as JsonArray ?? [];

    public IReadOnlyList<JsonObject> Pods =>
        Cluster.Api.ListObjects("v1", "Pod", DemoResources.Namespace, $"connectoroperator.dev/agent-connector={DemoResources.Name}");

    public JsonObject? Condition(string type) =>
        (Connector?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    /// <summary>The connector processes running now, remembered so disposal can prove they are gone.</summary>
    public IReadOnlyDictionary<string, int> RunningProcesses()
    {
        var running = Cluster.Kubelet.RunningProcesses;
        lock (_pids) foreach (var pid in running.Values) _pids.Add(pid);
        return running;
    }

    public void ModifyConnector(Action<JsonObject> change) =>
        Cluster.Api.ModifyObject($"{AgentConnector.Group}/{AgentConnector.Version}", AgentConnector.KindName, DemoResources.Namespace, DemoResources.Name, c =>
        {
            change(c);
            return c;
        });

    /// <summary>Polls until the condition holds, remembering connector processes on the way; fails with the status, pods and connector logs.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? Bound;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            RunningProcesses();
            if (condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out after {limit.TotalSeconds} s waiting until {what}; status: {Connector?["status"]?.ToJsonString()}\n" +
            $"pods: {string.Join(", ", Pods.Select(p => p["status"]?.ToJsonString()))}\n{ConnectorLogs()}");
    }

    public string ConnectorLogs() => Directory.Exists(Logs)
        ? string.Join("\n", Directory.GetFiles(Logs, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{ReadTail(f)}"))
        : "(no logs)";

    public async ValueTask DisposeAsync()
    {
        RunningProcesses();
        // Disposing kills whatever still runs, on failure too.
        await Cluster.DisposeAsync();
        TryDelete(Logs);
        int[] pids;
        lock (_pids) pids = [.. _pids];
        Assert.All(pids, pid => Assert.False(Alive(pid), $"connector process {pid} outlived the cluster"));
    }

    public static bool Alive(int pid)
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

    private static string ReadTail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return text.Length > 4000 ? text[^4000..] : text;
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
