using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// A kubelet for the API server double without real containers: it schedules pods onto one node, gives each a
/// loopback address, runs the container behaviour it is told (run, crash-loop, never start), probes readiness
/// over HTTP as a kubelet would, calls preStop on deletion and removes the pod after a short grace period.
/// It writes pod status only when it changes, like a real kubelet.
/// </summary>
public sealed class SimulatedKubelet : IAsyncDisposable
{
    private readonly ApiServerDouble _server;
    private readonly SimulatedKubeletOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, PodRuntime> _pods = [];
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SimulatedKubelet(ApiServerDouble server, SimulatedKubeletOptions? options = null, ILogger? logger = null)
    {
        _server = server;
        _options = options ?? new SimulatedKubeletOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    public PodAddresses Addresses { get; } = new();

    public void Start()
    {
        EnsureNode();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private sealed class PodRuntime(string ns, string name, string ip, ContainerBehaviour behaviour)
    {
        public string Namespace { get; } = ns;
        public string Name { get; } = name;
        public string Ip { get; } = ip;
        public ContainerBehaviour Behaviour { get; } = behaviour;
        public IAsyncDisposable? Container { get; set; }
        public DateTimeOffset StartedAt { get; set; }
        public bool Ready { get; set; }
        public int Restarts { get; set; }
        public DateTimeOffset? TerminatingSince { get; set; }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Kubelet sync failed");
            }
            try
            {
                await Task.Delay(_options.SyncInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var pods = _server.ListObjects("v1", "Pod");
        var present = new HashSet<string>();
        foreach (var pod in pods)
        {
            var uid = pod["metadata"]!["uid"]!.GetValue<string>();
            present.Add(uid);
            var deleting = pod["metadata"]?["deletionTimestamp"] is not null;
            if (!_pods.TryGetValue(uid, out var runtime))
            {
                if (deleting)
                {
                    Remove(pod);
                    continue;
                }
                runtime = await AdmitAsync(pod, uid, cancellationToken);
            }
            if (deleting)
            {
                await TerminateAsync(pod, uid, runtime);
                continue;
            }
            await RefreshAsync(pod, runtime, cancellationToken);
        }
        foreach (var gone in _pods.Keys.Where(uid => !present.Contains(uid)).ToList()) await StopAsync(gone);
    }

    private async Task<PodRuntime> AdmitAsync(JsonObject pod, string uid, CancellationToken cancellationToken)
    {
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        if (pod["spec"]?["nodeName"] is null) _server.BindPod(ns, name, _options.NodeName);
        var runtime = new PodRuntime(ns, name, Addresses.Assign(uid), _options.Behaviour(pod)) { StartedAt = DateTimeOffset.UtcNow };
        _pods[uid] = runtime;
        if (runtime.Behaviour is ContainerBehaviour.Runs && _options.StartContainer is { } start)
        {
            try
            {
                runtime.Container = await start(pod, runtime.Ip, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Starting the container of {Namespace}/{Pod} failed", ns, name);
            }
        }
        return runtime;
    }

    private async Task RefreshAsync(JsonObject pod, PodRuntime runtime, CancellationToken cancellationToken)
    {
        if (runtime.Behaviour is ContainerBehaviour.Runs)
            runtime.Ready = await ProbeAsync(pod, runtime, "readinessProbe", cancellationToken);
        else if (runtime.Behaviour is ContainerBehaviour.Crashes && DateTimeOffset.UtcNow - runtime.StartedAt > TimeSpan.FromSeconds(1 + runtime.Restarts))
            runtime.Restarts++;
        WriteStatus(runtime, BuildStatus(pod, runtime));
    }

    private async Task<bool> ProbeAsync(JsonObject pod, PodRuntime runtime, string probe, CancellationToken cancellationToken)
    {
        var container = pod["spec"]?["containers"]?[0];
        if (container?[probe]?["httpGet"] is not JsonObject get) return true;
        var port = ResolvePort(container, get["port"]);
        if (port is null) return false;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ProbeTimeout);
        try
        {
            using var response = await _http.GetAsync(new Uri($"http://{runtime.Ip}:{port}{get["path"]?.GetValue<string>() ?? "/"}"), deadline.Token);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int? ResolvePort(JsonNode container, JsonNode? port)
    {
        if (port is JsonValue value && value.TryGetValue<int>(out var number)) return number;
        var name = port?.GetValue<string>();
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        foreach (var p in container["ports"]?.AsArray() ?? [])
        {
            if (p?["name"]?.GetValue<string>() == name) return p?["containerPort"]?.GetValue<int>();
        }
        return null;
    }

    private static JsonObject BuildStatus(JsonObject pod, PodRuntime runtime)
    {
        var containerName = pod["spec"]?["containers"]?[0]?["name"]?.GetValue<string>() ?? "main";
        var image = pod["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? "";
        var started = runtime.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        JsonObject state;
        JsonObject? lastState = null;
        string phase;
        var ready = false;
        switch (runtime.Behaviour)
        {
            case ContainerBehaviour.Crashes crash:
                phase = "Running";
                state = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = $"back-off restarting failed container {containerName}" } };
                lastState = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = crash.ExitCode, ["reason"] = "Error", ["message"] = crash.Message } };
                break;
            case ContainerBehaviour.NeverStarts never:
                phase = "Pending";
                state = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = never.Reason, ["message"] = never.Message } };
                break;
            default:
                phase = "Running";
                ready = runtime.Ready;
                state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } };
                break;
        }
        var readyText = ready ? "True" : "False";
        return new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = runtime.Ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = runtime.Ip }),
            ["startTime"] = started,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True", started),
                Condition("Initialized", "True", started),
                Condition("ContainersReady", readyText, started),
                Condition("Ready", readyText, started)),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = containerName,
                ["image"] = image,
                ["imageID"] = "",
                ["ready"] = ready,
                ["started"] = phase == "Running" && runtime.Behaviour is ContainerBehaviour.Runs,
                ["restartCount"] = runtime.Restarts,
                ["state"] = state,
                ["lastState"] = lastState ?? new JsonObject(),
            }),
        };
    }

    private static JsonObject Condition(string type, string status, string time) =>
        new() { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = time, ["lastProbeTime"] = null };

    /// <summary>Writes only a changed status; lastTransitionTime of a condition moves only when its value does.</summary>
    private void WriteStatus(PodRuntime runtime, JsonObject status)
    {
        var current = _server.GetObject("v1", "Pod", runtime.Namespace, runtime.Name);
        if (current is null) return;
        if (current["status"] is JsonObject existing && Comparable(existing) == Comparable(status)) return;
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var condition in status["conditions"]!.AsArray())
        {
            var before = current["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == condition!["type"]!.GetValue<string>());
            condition!["lastTransitionTime"] = before?["status"]?.GetValue<string>() == condition["status"]!.GetValue<string>()
                ? before!["lastTransitionTime"]?.DeepClone()
                : now;
        }
        try
        {
            _server.ModifyObject("v1", "Pod", runtime.Namespace, runtime.Name, pod =>
            {
                pod["status"] = status;
                return pod;
            }, statusOnly: true);
        }
        catch (Api.ApiStatusException e) when (e.Code == 404)
        {
            // Deleted between the list and this write.
        }
    }

    /// <summary>The status without times, so an unchanged pod is not rewritten.</summary>
    private static string Comparable(JsonObject status)
    {
        var copy = (JsonObject)status.DeepClone();
        foreach (var condition in copy["conditions"]?.AsArray() ?? []) (condition as JsonObject)?.Remove("lastTransitionTime");
        return copy.ToJsonString();
    }

    private async Task TerminateAsync(JsonObject pod, string uid, PodRuntime runtime)
    {
        if (runtime.TerminatingSince is null)
        {
            runtime.TerminatingSince = DateTimeOffset.UtcNow;
            // preStop runs before the container is stopped, as on a real node; its failure does not block deletion.
            if (pod["spec"]?["containers"]?[0] is { } container && container["lifecycle"]?["preStop"]?["httpGet"] is JsonObject get
                && ResolvePort(container, get["port"]) is { } port && runtime.Behaviour is ContainerBehaviour.Runs)
            {
                _ = _http.GetAsync(new Uri($"http://{runtime.Ip}:{port}{get["path"]?.GetValue<string>() ?? "/"}"), _stop.Token)
                    .ContinueWith(t => t.Exception?.Handle(_ => true), TaskScheduler.Default);
            }
        }
        if (DateTimeOffset.UtcNow - runtime.TerminatingSince < _options.TerminationDelay) return;
        await StopAsync(uid);
        Remove(pod);
    }

    private void Remove(JsonObject pod)
    {
        try
        {
            _server.DeleteObject("v1", "Pod", pod["metadata"]!["namespace"]!.GetValue<string>(), pod["metadata"]!["name"]!.GetValue<string>(),
                new DeleteOptions { GracePeriodSeconds = 0 });
        }
        catch (Api.ApiStatusException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }

    private async Task StopAsync(string uid)
    {
        if (!_pods.Remove(uid, out var runtime)) return;
        if (runtime.Container is { } container) await container.DisposeAsync();
        Addresses.Release(uid);
    }

    private void EnsureNode()
    {
        if (_server.GetObject("v1", "Node", null, _options.NodeName) is not null) return;
        _server.CreateObject(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = _options.NodeName, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = _options.NodeName } },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "simulated kubelet is posting ready status" }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
        foreach (var uid in _pods.Keys.ToList()) await StopAsync(uid);
        _http.Dispose();
        _stop.Dispose();
    }
}
