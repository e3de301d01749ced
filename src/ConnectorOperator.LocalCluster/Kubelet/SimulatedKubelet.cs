using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// A kubelet for the API server double without real containers: it schedules pods onto one node, gives each a
/// loopback address, runs the container behaviour it is told (run, crash-loop, never start), probes readiness
/// over HTTP as a kubelet would, calls preStop on deletion and removes the pod after a short grace period.
/// Pods are handled concurrently (bounded), so one slow probe or start does not hold up the others; a start that
/// fails or a container that exits is restarted after CrashLoopBackOff. It writes pod status only when it changes,
/// like a real kubelet.
/// </summary>
public sealed class SimulatedKubelet : IAsyncDisposable
{
    private readonly SimulatedKubeletOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, PodRuntime> _pods = [];
    private readonly ApiServerDouble _server;
    private readonly KubeletLoop _kubelet;
    private readonly SemaphoreSlim _slots;

    public SimulatedKubelet(ApiServerDouble server, SimulatedKubeletOptions? options = null, ILogger? logger = null)
    {
        _server = server;
        _options = options ?? new SimulatedKubeletOptions();
        _logger = logger ?? NullLogger.Instance;
        _kubelet = new KubeletLoop(server, _options.NodeName, _logger);
        _slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentPods));
    }

    public PodAddresses Addresses { get; } = new();

    public void Start() => _kubelet.Start(SyncAsync, () => _options.SyncInterval);

    private sealed class PodRuntime(string ns, string name, string ip, ContainerBehaviour behaviour, CrashLoopBackOff backOff)
    {
        public string Namespace { get; } = ns;
        public string Name { get; } = name;
        public string Ip { get; } = ip;
        public ContainerBehaviour Behaviour { get; } = behaviour;
        public CrashLoopBackOff BackOff { get; } = backOff;
        public DateTimeOffset PodStartedAt { get; } = DateTimeOffset.UtcNow;
        public ISimulatedContainer? Container { get; set; }
        public bool Running { get; set; }
        public DateTimeOffset ContainerStartedAt { get; set; }
        public ContainerState.Waiting Waiting { get; set; } = new("ContainerCreating");
        public ContainerState.Terminated? LastTerminated { get; set; }
        public DateTimeOffset NextStartAt { get; set; }
        public DateTimeOffset NextProbeAt { get; set; }
        public bool Ready { get; set; }
        public int Restarts { get; set; }
        public DateTimeOffset? TerminatingSince { get; set; }
        public string? LastStatus { get; set; }
        public Task Step { get; set; } = Task.CompletedTask;

        /// <summary>The pod's resourceVersion the last step started from.</summary>
        public string? SeenVersion { get; set; }

        /// <summary>When the pod needs a step though it has not changed (a probe, a start, the end of a grace period, a resync).</summary>
        public DateTimeOffset DueAt { get; set; }

        /// <summary>1 while a step for this pod runs (see <see cref="Schedule"/>).</summary>
        public int Busy;
    }

    /// <summary>
    /// Admits new pods at once, then hands a step to <see cref="Schedule"/> for each pod that changed or whose next
    /// probe, start or resync is due; waits for none of them. The pods are read as stored (not copied): a pass over
    /// thousands of unchanged pods costs a version compare each, as a real kubelet's relist does.
    /// </summary>
    private Task SyncAsync(CancellationToken cancellationToken)
    {
        var present = new HashSet<string>();
        var now = DateTimeOffset.UtcNow;
        foreach (var pod in _server.ScanObjects("v1", "Pod"))
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
                runtime = Admit(pod, uid);
            }
            var version = ObjectMeta.ResourceVersion(pod);
            if (version == runtime.SeenVersion && now < runtime.DueAt) continue;
            Schedule(runtime, version, deleting ? _ => TerminateAsync(pod, uid, runtime) : token => RefreshAsync(pod, runtime, token), cancellationToken);
        }
        foreach (var (uid, runtime) in _pods)
        {
            if (!present.Contains(uid)) Schedule(runtime, null, _ => StopAsync(uid), cancellationToken);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs a pod's next step unless its previous one is still under way, with at most MaxConcurrentPods steps at
    /// once: a stuck start or a slow probe delays only its own pod.
    /// </summary>
    private void Schedule(PodRuntime runtime, string? version, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref runtime.Busy, 1, 0) != 0) return;
        runtime.SeenVersion = version;
        runtime.DueAt = DateTimeOffset.UtcNow + _options.ResyncInterval;
        runtime.Step = Task.Run(async () =>
        {
            try
            {
                await _slots.WaitAsync(cancellationToken);
                try
                {
                    await step(cancellationToken);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The kubelet stops.
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Kubelet step for {Namespace}/{Pod} failed", runtime.Namespace, runtime.Name);
            }
            finally
            {
                Volatile.Write(ref runtime.Busy, 0);
            }
        }, CancellationToken.None);
    }

    private PodRuntime Admit(JsonObject pod, string uid)
    {
        _kubelet.Node.Bind(pod);
        // The callbacks get a copy: the pod is the stored object itself.
        var runtime = new PodRuntime(PodSpecReader.Namespace(pod), PodSpecReader.Name(pod), Addresses.Assign(uid), _options.Behaviour((JsonObject)pod.DeepClone()),
            new CrashLoopBackOff(_options.BackOffInitial, _options.BackOffMax, _options.BackOffResetAfter));
        _pods[uid] = runtime;
        return runtime;
    }

    private async Task RefreshAsync(JsonObject pod, PodRuntime runtime, CancellationToken cancellationToken)
    {
        var container = PodSpecReader.MainContainer(pod) ?? [];
        if (runtime.Behaviour is ContainerBehaviour.Runs)
        {
            await NoticeExitAsync(pod, runtime);
            if (!runtime.Running && DateTimeOffset.UtcNow >= runtime.NextStartAt) await StartContainerAsync(pod, runtime, cancellationToken);
            if (runtime.Running && DateTimeOffset.UtcNow >= runtime.NextProbeAt)
            {
                runtime.Ready = await _kubelet.Probe.CheckAsync(container, container["readinessProbe"]?["httpGet"], runtime.Ip, _options.ProbeTimeout, cancellationToken);
                if (_options.ProbePeriodScale > 0 && ProbeSettings.Read(container, "readinessProbe", _options.ProbePeriodScale) is { } probe)
                    runtime.NextProbeAt = DateTimeOffset.UtcNow + probe.Period;
            }
            var next = runtime.Running ? runtime.NextProbeAt : runtime.NextStartAt;
            if (next < runtime.DueAt) runtime.DueAt = next;
        }
        else if (runtime.Behaviour is ContainerBehaviour.Crashes)
        {
            if (DateTimeOffset.UtcNow - runtime.PodStartedAt > TimeSpan.FromSeconds(1 + runtime.Restarts)) runtime.Restarts++;
            var nextCrash = runtime.PodStartedAt + TimeSpan.FromSeconds(1 + runtime.Restarts);
            if (nextCrash < runtime.DueAt) runtime.DueAt = nextCrash;
        }
        var status = PodStatusBuilder.Build(pod, runtime.Ip, runtime.PodStartedAt, View(pod, runtime));
        var text = status.ToJsonString();
        if (text == runtime.LastStatus) return;
        _kubelet.Status.Write(runtime.Namespace, runtime.Name, status);
        runtime.LastStatus = text;
    }

    /// <summary>Starts the container; a start that throws counts as a failed container, restarted after back-off.</summary>
    private async Task StartContainerAsync(JsonObject pod, PodRuntime runtime, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            runtime.Container = _options.StartContainer is { } start ? await start((JsonObject)pod.DeepClone(), runtime.Ip, cancellationToken) : null;
            runtime.Running = true;
            runtime.ContainerStartedAt = now;
            // An exit is noticed on the next sync, not at the next resync.
            _ = runtime.Container?.Exited.ContinueWith(_ => runtime.DueAt = DateTimeOffset.MinValue, TaskScheduler.Default);
            runtime.Ready = false;
            runtime.NextProbeAt = now;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Starting the container of {Namespace}/{Pod} failed", runtime.Namespace, runtime.Name);
            BackOff(pod, runtime, new ContainerState.Terminated(128, "StartError", now, DateTimeOffset.UtcNow, e.Message));
        }
    }

    /// <summary>A container that exited by itself (a crash) is replaced after CrashLoopBackOff.</summary>
    private async Task NoticeExitAsync(JsonObject pod, PodRuntime runtime)
    {
        if (runtime.Container is not { Exited.IsCompleted: true } exited) return;
        var exitCode = await exited.Exited;
        await exited.DisposeAsync();
        runtime.Container = null;
        _logger.LogInformation("Container of {Namespace}/{Pod} exited with {ExitCode}", runtime.Namespace, runtime.Name, exitCode);
        BackOff(pod, runtime, ContainerState.Terminated.Of(exitCode, runtime.ContainerStartedAt, DateTimeOffset.UtcNow));
    }

    private static void BackOff(JsonObject pod, PodRuntime runtime, ContainerState.Terminated terminated)
    {
        var delay = runtime.BackOff.NextDelay(terminated.FinishedAt - terminated.StartedAt);
        runtime.Running = false;
        runtime.Ready = false;
        runtime.Restarts++;
        runtime.LastTerminated = terminated;
        runtime.NextStartAt = terminated.FinishedAt + delay;
        runtime.Waiting = new ContainerState.Waiting("CrashLoopBackOff",
            $"back-off {(int)Math.Ceiling(delay.TotalSeconds)}s restarting failed container={PodSpecReader.ContainerName(pod)} pod={runtime.Name}_{runtime.Namespace}");
    }

    private static ContainerView View(JsonObject pod, PodRuntime runtime) => runtime.Behaviour switch
    {
        ContainerBehaviour.Crashes crash => new ContainerView(
            new ContainerState.Waiting("CrashLoopBackOff", $"back-off restarting failed container {PodSpecReader.ContainerName(pod)}"),
            RestartCount: runtime.Restarts,
            LastTerminated: new ContainerState.Terminated(crash.ExitCode, "Error", runtime.PodStartedAt, runtime.PodStartedAt, crash.Message)),
        ContainerBehaviour.NeverStarts never => new ContainerView(new ContainerState.Waiting(never.Reason, never.Message)),
        _ when !runtime.Running => new ContainerView(runtime.Waiting, RestartCount: runtime.Restarts, LastTerminated: runtime.LastTerminated),
        _ => new ContainerView(new ContainerState.Running(runtime.ContainerStartedAt), runtime.Ready, Started: true, runtime.Restarts, runtime.LastTerminated),
    };

    private async Task TerminateAsync(JsonObject pod, string uid, PodRuntime runtime)
    {
        if (runtime.TerminatingSince is null)
        {
            runtime.TerminatingSince = DateTimeOffset.UtcNow;
            // preStop runs before the container is stopped, as on a real node; its failure does not block deletion.
            if (runtime.Running && PodSpecReader.MainContainer(pod) is { } container)
            {
                _ = _kubelet.Probe.CheckAsync(container, container["lifecycle"]?["preStop"]?["httpGet"], runtime.Ip, TimeSpan.FromSeconds(30), _kubelet.Stopping)
                    .ContinueWith(t => t.Exception?.Handle(_ => true), TaskScheduler.Default);
            }
        }
        if (DateTimeOffset.UtcNow - runtime.TerminatingSince < _options.TerminationDelay)
        {
            runtime.DueAt = runtime.TerminatingSince.Value + _options.TerminationDelay;
            return;
        }
        await StopAsync(uid);
        _kubelet.Node.Remove(runtime.Namespace, runtime.Name);
    }

    private async Task StopAsync(string uid)
    {
        if (!_pods.TryRemove(uid, out var runtime)) return;
        if (runtime.Container is { } container) await container.DisposeAsync();
        Addresses.Release(uid);
    }

    public async ValueTask DisposeAsync()
    {
        await _kubelet.StopAsync();
        // Steps end on the cancelled token or by themselves; none throws (Schedule logs failures).
        await Task.WhenAll(_pods.Values.Select(p => p.Step));
        foreach (var uid in _pods.Keys.ToList()) await StopAsync(uid);
        _kubelet.Dispose();
        _slots.Dispose();
    }
}
