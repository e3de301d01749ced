using System.Text.Json.Nodes;
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
    private readonly SimulatedKubeletOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, PodRuntime> _pods = [];
    private readonly ApiServerDouble _server;
    private readonly KubeletLoop _kubelet;

    public SimulatedKubelet(ApiServerDouble server, SimulatedKubeletOptions? options = null, ILogger? logger = null)
    {
        _server = server;
        _options = options ?? new SimulatedKubeletOptions();
        _logger = logger ?? NullLogger.Instance;
        _kubelet = new KubeletLoop(server, _options.NodeName, _logger);
    }

    public PodAddresses Addresses { get; } = new();

    public void Start() => _kubelet.Start(SyncAsync, () => _options.SyncInterval);

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

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var pods = _server.ListObjects("v1", "Pod");
        var present = new HashSet<string>();
        foreach (var pod in pods)
        {
            var uid = PodSpecReader.Uid(pod);
            present.Add(uid);
            var deleting = PodSpecReader.IsDeleting(pod);
            if (!_pods.TryGetValue(uid, out var runtime))
            {
                if (deleting)
                {
                    _kubelet.Node.Remove(PodSpecReader.Namespace(pod), PodSpecReader.Name(pod));
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
        var ns = PodSpecReader.Namespace(pod);
        var name = PodSpecReader.Name(pod);
        _kubelet.Node.Bind(pod);
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
        var container = PodSpecReader.MainContainer(pod) ?? [];
        if (runtime.Behaviour is ContainerBehaviour.Runs)
            runtime.Ready = await _kubelet.Probe.CheckAsync(container, container["readinessProbe"]?["httpGet"], runtime.Ip, _options.ProbeTimeout, cancellationToken);
        else if (runtime.Behaviour is ContainerBehaviour.Crashes && DateTimeOffset.UtcNow - runtime.StartedAt > TimeSpan.FromSeconds(1 + runtime.Restarts))
            runtime.Restarts++;
        _kubelet.Status.Write(runtime.Namespace, runtime.Name, PodStatusBuilder.Build(pod, runtime.Ip, runtime.StartedAt, View(pod, runtime)));
    }

    private static ContainerView View(JsonObject pod, PodRuntime runtime) => runtime.Behaviour switch
    {
        ContainerBehaviour.Crashes crash => new ContainerView(
            new ContainerState.Waiting("CrashLoopBackOff", $"back-off restarting failed container {PodSpecReader.ContainerName(pod)}"),
            RestartCount: runtime.Restarts,
            LastTerminated: new ContainerState.Terminated(crash.ExitCode, "Error", runtime.StartedAt, runtime.StartedAt, crash.Message)),
        ContainerBehaviour.NeverStarts never => new ContainerView(new ContainerState.Waiting(never.Reason, never.Message)),
        _ => new ContainerView(new ContainerState.Running(runtime.StartedAt), runtime.Ready, Started: true, runtime.Restarts),
    };

    private async Task TerminateAsync(JsonObject pod, string uid, PodRuntime runtime)
    {
        if (runtime.TerminatingSince is null)
        {
            runtime.TerminatingSince = DateTimeOffset.UtcNow;
            // preStop runs before the container is stopped, as on a real node; its failure does not block deletion.
            if (runtime.Behaviour is ContainerBehaviour.Runs && PodSpecReader.MainContainer(pod) is { } container)
            {
                _ = _kubelet.Probe.CheckAsync(container, container["lifecycle"]?["preStop"]?["httpGet"], runtime.Ip, TimeSpan.FromSeconds(30), _kubelet.Stopping)
                    .ContinueWith(t => t.Exception?.Handle(_ => true), TaskScheduler.Default);
            }
        }
        if (DateTimeOffset.UtcNow - runtime.TerminatingSince < _options.TerminationDelay) return;
        await StopAsync(uid);
        _kubelet.Node.Remove(runtime.Namespace, runtime.Name);
    }

    private async Task StopAsync(string uid)
    {
        if (!_pods.Remove(uid, out var runtime)) return;
        if (runtime.Container is { } container) await container.DisposeAsync();
        Addresses.Release(uid);
    }

    public async ValueTask DisposeAsync()
    {
        await _kubelet.StopAsync();
        foreach (var uid in _pods.Keys.ToList()) await StopAsync(uid);
        _kubelet.Dispose();
    }
}
