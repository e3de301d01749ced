using System.Diagnostics;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests.Kubelet;

/// <summary>The API server double and a process kubelet whose one image, <c>test/container</c>, is a small node program.</summary>
internal sealed class ProcessKubeletHarness : IAsyncDisposable
{
    public const string Image = "test/container:1.0";
    public const string Namespace = "default";

    private ProcessKubeletHarness(ApiServerDouble server, ProcessKubelet kubelet, string logDirectory)
    {
        Server = server;
        Kubelet = kubelet;
        LogDirectory = logDirectory;
    }

    public ApiServerDouble Server { get; }
    public ProcessKubelet Kubelet { get; }
    public string LogDirectory { get; }

    public static async Task<ProcessKubeletHarness> StartAsync(Action<ProcessKubeletOptions>? configure = null)
    {
        var server = await ApiServerDouble.StartAsync(new ApiServerOptions { PodsTerminateImmediately = false });
        var logs = Path.Combine(Path.GetTempPath(), "process-kubelet-tests", Guid.NewGuid().ToString("N"));
        var options = new ProcessKubeletOptions
        {
            LogDirectory = logs,
            // Another test run on this machine uses another subnet, so the fixed port never collides.
            Addresses = new PodAddresses((byte)Random.Shared.Next(100, 250)),
            SyncInterval = TimeSpan.FromMilliseconds(50),
            ProbePeriodScale = 0.2,
            BackOffInitial = TimeSpan.FromMilliseconds(300),
            BackOffMax = TimeSpan.FromSeconds(1),
            RetryInterval = TimeSpan.FromMilliseconds(100),
        };
        options.Images.Add("test/container", new ContainerCommand("node", [Fixtures.PathOf("kubelet-container.js")], AddressVariable: "LISTEN_ADDRESS"));
        configure?.Invoke(options);
        var kubelet = new ProcessKubelet(server, options);
        kubelet.Start();
        return new ProcessKubeletHarness(server, kubelet, logs);
    }

    public static JsonObject Pod(string name, JsonArray? env = null, JsonObject? extra = null, long gracePeriodSeconds = 5)
    {
        var container = new JsonObject
        {
            ["name"] = "main",
            ["image"] = Image,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080 }),
            ["env"] = new JsonArray([new JsonObject { ["name"] = "PORT", ["value"] = "8080" }, .. (env ?? []).Select(e => e!.DeepClone())]),
        };
        foreach (var (key, value) in extra ?? []) container[key] = value?.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(container),
                ["restartPolicy"] = "Always",
                ["terminationGracePeriodSeconds"] = gracePeriodSeconds,
            },
        };
    }

    public static JsonObject HttpGet(string path) => new() { ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "http" }, ["periodSeconds"] = 1, ["failureThreshold"] = 3 };

    public JsonObject? Get(string name) => Server.GetObject("v1", "Pod", Namespace, name);

    public static JsonObject? ContainerStatus(JsonObject? pod) => pod?["status"]?["containerStatuses"]?[0] as JsonObject;

    public static bool IsReady(JsonObject? pod) =>
        pod?["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    public string Log(string name)
    {
        var path = Kubelet.LogPath(Namespace, name);
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the pod; fails with what it last saw.</summary>
    public async Task<JsonObject?> WaitForPodAsync(string name, Func<JsonObject?, bool> condition, string what, int seconds = 20)
    {
        var stopwatch = Stopwatch.StartNew();
        JsonObject? pod = null;
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            pod = Get(name);
            if (condition(pod)) return pod;
            await Task.Delay(50);
        }
        Assert.Fail($"timed out waiting until {what}; pod status: {pod?["status"]?.ToJsonString() ?? "(gone)"}; log: {Log(name)}");
        return null;
    }

    public async Task WaitForLogAsync(string name, string text, int seconds = 20)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (Log(name).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(50);
        }
        Assert.Fail($"timed out waiting for \"{text}\" in the log of {name}: {Log(name)}");
    }

    public static bool ProcessAlive(int pid)
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

    public async ValueTask DisposeAsync()
    {
        await Kubelet.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(LogDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log still open on a slow machine: the temp directory is cleaned elsewhere.
        }
    }
}
