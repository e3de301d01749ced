using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// Runs one pod's container as a local process for as long as the pod exists: resolves its environment, starts
/// it, probes it (startup, then liveness and readiness), restarts it with CrashLoopBackOff and reports every
/// change in pod status. Termination runs preStop, SIGTERM, and SIGKILL when the grace period ends.
/// </summary>
internal sealed class PodWorker : IDisposable
{
    private readonly ApiServerDouble _server;
    private readonly ProcessKubeletOptions _options;
    private readonly HttpProbe _probe;
    private readonly PodStatusWriter _status;
    private readonly ILogger _logger;
    private readonly string _logPath;
    private readonly CancellationTokenSource _life = new();
    private readonly Lock _gate = new();
    private readonly Lock _publishGate = new();
    private readonly CrashLoopBackOff _backOff;
    private readonly DateTimeOffset _podStart = DateTimeOffset.UtcNow;
    private JsonObject _pod;
    private ContainerView _view = new(new ContainerState.Waiting("ContainerCreating"));
    private ContainerProcess? _current;
    private bool _terminating;
    private Task _run = Task.CompletedTask;

    public PodWorker(JsonObject pod, string podIp, string logPath, ApiServerDouble server, ProcessKubeletOptions options, HttpProbe probe, PodStatusWriter status, ILogger logger)
    {
        _pod = pod;
        PodIp = podIp;
        _logPath = logPath;
        _server = server;
        _options = options;
        _probe = probe;
        _status = status;
        _logger = logger;
        _backOff = new CrashLoopBackOff(options.BackOffInitial, options.BackOffMax, options.BackOffResetAfter);
        Namespace = PodSpecReader.Namespace(pod);
        Name = PodSpecReader.Name(pod);
    }

    public string Namespace { get; }

    public string Name { get; }

    public string PodIp { get; }

    public bool Terminating
    {
        get
        {
            lock (_gate) return _terminating;
        }
    }

    /// <summary>The process id of the running container, if one runs.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate) return _current is { HasExited: false } c ? c.Id : null;
        }
    }

    public void Start() => _run = Task.Run(() => RunAsync(_life.Token));

    /// <summary>The newest pod object, so status follows spec changes such as a new image name.</summary>
    public void Update(JsonObject pod)
    {
        lock (_gate) _pod = pod;
    }

    private JsonObject Container => PodSpecReader.MainContainer(_pod) ?? [];

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Publish(_view);
            while (!cancellationToken.IsCancellationRequested)
            {
                var process = await StartContainerAsync(cancellationToken);
                if (process is null) continue;
                var exitCode = await MonitorAsync(process, cancellationToken);
                var finished = DateTimeOffset.UtcNow;
                var terminated = ContainerState.Terminated.Of(exitCode, process.StartedAt, finished);
                _logger.LogInformation("Container of {Namespace}/{Pod} exited with {ExitCode}", Namespace, Name, exitCode);
                process.Dispose();
                lock (_gate) _current = null;
                if (cancellationToken.IsCancellationRequested) break;
                var policy = PodSpecReader.RestartPolicy(_pod);
                if (policy == "Never" || (policy == "OnFailure" && exitCode == 0))
                {
                    Publish(_view with { State = terminated, Ready = false });
                    break;
                }
                var delay = _backOff.NextDelay(finished - process.StartedAt);
                if (delay > TimeSpan.Zero)
                {
                    Publish(_view with
                    {
                        State = new ContainerState.Waiting("CrashLoopBackOff",
                            $"back-off {Seconds(delay)} restarting failed container={PodSpecReader.ContainerName(_pod)} pod={Name}_{Namespace}({PodSpecReader.Uid(_pod)})"),
                        Ready = false,
                        Started = false,
                        LastTerminated = terminated,
                    });
                    await Task.Delay(delay, cancellationToken);
                }
                lock (_gate) _view = _view with { RestartCount = _view.RestartCount + 1, LastTerminated = terminated, Ready = false, Started = false };
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || Terminating)
        {
            // Terminating or the kubelet stops.
        }
    }

    /// <summary>Null when the container cannot start yet (unknown image, missing Secret); the status says why and the caller retries.</summary>
    private async Task<ContainerProcess?> StartContainerAsync(CancellationToken cancellationToken)
    {
        var image = PodSpecReader.Image(_pod);
        var command = _options.Images.Find(image);
        string? problem = null;
        string reason = "";
        Dictionary<string, string>? env = null;
        if (command is null)
        {
            reason = "ErrImagePull";
            problem = $"image \"{image}\" is not in the local cluster's image map";
        }
        else
        {
            try
            {
                env = ContainerEnvironment.Resolve(_server, _pod, Container, PodIp);
            }
            catch (ContainerConfigException e)
            {
                reason = "CreateContainerConfigError";
                problem = e.Message;
            }
        }
        if (problem is not null)
        {
            Publish(_view with { State = new ContainerState.Waiting(reason, problem), Ready = false, Started = false });
            await Task.Delay(_options.RetryInterval, cancellationToken);
            return null;
        }
        if (command!.AddressVariable is { } addressVariable) env![addressVariable] = PodIp;
        if (command.ParentPipeVariable is { } parentPipeVariable) env![parentPipeVariable] = "true";
        var args = Container["args"]?.AsArray().Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];
        ContainerProcess process;
        lock (_gate)
        {
            // Checked under the lock TerminateAsync takes, so no process starts after termination began.
            if (_terminating) throw new OperationCanceledException(cancellationToken);
            try
            {
                var now = DateTimeOffset.UtcNow;
                var header = $"--- {ObjectMeta.Timestamp(now)} container {PodSpecReader.ContainerName(_pod)} started (restart {_view.RestartCount}) at {PodIp} ---";
                process = ContainerProcess.Start(command, args, env!, _options.InheritedVariables, _logPath, header, now, _options.SessionLauncher);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                process = null!;
                problem = $"failed to start container: {e.Message}";
            }
            if (problem is null) _current = process;
        }
        if (problem is not null)
        {
            Publish(_view with { State = new ContainerState.Waiting("RunContainerError", problem), Ready = false, Started = false });
            await Task.Delay(_options.RetryInterval, cancellationToken);
            return null;
        }
        _logger.LogInformation("Started container of {Namespace}/{Pod} at {Address} as process {ProcessId}", Namespace, Name, PodIp, process.Id);
        Publish(_view with { State = new ContainerState.Running(process.StartedAt), Ready = false, Started = false });
        return process;
    }

    /// <summary>Probes until the process exits; a failed startup or liveness probe stops it (the caller restarts it). Returns the exit code.</summary>
    private async Task<int> MonitorAsync(ContainerProcess process, CancellationToken cancellationToken)
    {
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probes = ProbeAsync(process, probing.Token);
        var first = await Task.WhenAny(process.Exited, probes);
        if (first == probes && await probes is { } failure)
        {
            _logger.LogWarning("Container of {Namespace}/{Pod} {Failure}, will be restarted", Namespace, Name, failure);
            await StopAsync(process, TerminationGrace(), CancellationToken.None);
        }
        await probing.CancelAsync();
        try
        {
            await probes;
        }
        catch (OperationCanceledException)
        {
            // Probing ends with the process.
        }
        return await process.Exited;
    }

    private TimeSpan TerminationGrace() =>
        TimeSpan.FromSeconds(Math.Max(0, PodSpecReader.Long(_pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30));

    /// <summary>Null when probing was cancelled; otherwise why the container must be restarted.</summary>
    private async Task<string?> ProbeAsync(ContainerProcess process, CancellationToken cancellationToken)
    {
        var container = Container;
        var scale = _options.ProbePeriodScale;
        if (ProbeSettings.Read(container, "startupProbe", scale) is { } startup)
        {
            if (!await UntilAsync(startup, container, succeed: true, cancellationToken)) return "failed its startup probe";
        }
        SetView(v => v with { Started = true });
        var liveness = ProbeSettings.Read(container, "livenessProbe", scale);
        var readiness = ProbeSettings.Read(container, "readinessProbe", scale);
        var live = liveness is null ? Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => false, TaskScheduler.Default)
            : UntilAsync(liveness, container, succeed: false, cancellationToken);
        var ready = ReadinessAsync(readiness, container, cancellationToken);
        await Task.WhenAny(live, ready);
        cancellationToken.ThrowIfCancellationRequested();
        return await live ? "failed its liveness probe" : null;
    }

    /// <summary>
    /// succeed=true: probes until SuccessThreshold successes in a row (true) or FailureThreshold failures in a row (false).
    /// succeed=false: probes until FailureThreshold failures in a row (true: the container is dead).
    /// </summary>
    private async Task<bool> UntilAsync(ProbeSettings probe, JsonObject container, bool succeed, CancellationToken cancellationToken)
    {
        await Task.Delay(probe.InitialDelay, cancellationToken);
        int successes = 0, failures = 0;
        while (true)
        {
            var ok = await _probe.CheckAsync(container, probe.HttpGet, PodIp, probe.Timeout, cancellationToken);
            successes = ok ? successes + 1 : 0;
            failures = ok ? 0 : failures + 1;
            if (succeed && successes >= probe.SuccessThreshold) return true;
            if (failures >= probe.FailureThreshold) return succeed ? false : true;
            await Task.Delay(probe.Period, cancellationToken);
        }
    }

    private async Task<bool> ReadinessAsync(ProbeSettings? probe, JsonObject container, CancellationToken cancellationToken)
    {
        if (probe is null)
        {
            SetView(v => v with { Ready = true });
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return true;
        }
        await Task.Delay(probe.InitialDelay, cancellationToken);
        int successes = 0, failures = 0;
        while (true)
        {
            var ok = await _probe.CheckAsync(container, probe.HttpGet, PodIp, probe.Timeout, cancellationToken);
            successes = ok ? successes + 1 : 0;
            failures = ok ? 0 : failures + 1;
            if (successes >= probe.SuccessThreshold) SetView(v => v with { Ready = !Terminating });
            else if (failures >= probe.FailureThreshold) SetView(v => v with { Ready = false });
            await Task.Delay(probe.Period, cancellationToken);
        }
    }

    private void SetView(Func<ContainerView, ContainerView> change)
    {
        lock (_gate)
        {
            var next = change(_view);
            if (next == _view) return;
            _view = next;
        }
        Publish(null);
    }

    private void Publish(ContainerView? view)
    {
        // One writer at a time, so an older view can never overwrite a newer one.
        lock (_publishGate)
        {
            JsonObject pod;
            ContainerView current;
            lock (_gate)
            {
                if (view is not null) _view = view;
                pod = _pod;
                current = _view;
            }
            _status.Write(Namespace, Name, PodStatusBuilder.Build(pod, PodIp, _podStart, current));
        }
    }

    /// <summary>The kubelet's graceful stop: preStop (within the grace period), SIGTERM, then SIGKILL when the grace period ends.</summary>
    public async Task TerminateAsync(TimeSpan gracePeriod, bool runPreStop)
    {
        ContainerProcess? process;
        lock (_gate)
        {
            if (_terminating) return;
            _terminating = true;
            process = _current;
        }
        await _life.CancelAsync();
        if (process is { HasExited: false })
        {
            SetView(v => v with { Ready = false });
            var deadline = DateTimeOffset.UtcNow + gracePeriod;
            if (runPreStop && Container["lifecycle"]?["preStop"]?["httpGet"] is JsonObject preStop)
            {
                var ok = await _probe.CheckAsync(Container, preStop, PodIp, gracePeriod, CancellationToken.None);
                _logger.LogInformation("preStop of {Namespace}/{Pod} {Outcome}", Namespace, Name, ok ? "succeeded" : "failed");
                // As a kubelet does: after a preStop that used up the grace period, a short extra grace for SIGTERM.
                if (deadline - DateTimeOffset.UtcNow < TimeSpan.FromSeconds(2)) deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
            }
            await StopAsync(process, deadline - DateTimeOffset.UtcNow, CancellationToken.None);
        }
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Cancelled with the worker.
        }
        lock (_gate) _current?.Dispose();
    }

    public void Dispose() => _life.Dispose();

    /// <summary>SIGTERM, wait for the exit up to <paramref name="grace"/>, then SIGKILL the process tree.</summary>
    private async Task StopAsync(ContainerProcess process, TimeSpan grace, CancellationToken cancellationToken)
    {
        process.Terminate();
        try
        {
            await process.Exited.WaitAsync(grace > TimeSpan.Zero ? grace : TimeSpan.Zero, cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Container of {Namespace}/{Pod} did not exit within its grace period; killing it", Namespace, Name);
            process.Kill();
        }
    }

    /// <summary>Stops at once (the kubelet itself shuts down): SIGTERM, a short wait, SIGKILL.</summary>
    public Task ShutdownAsync()
    {
        lock (_gate)
        {
            // A deletion in progress may wait for a long grace period: end it now.
            if (_terminating) _current?.Kill();
        }
        return TerminateAsync(_options.ShutdownGracePeriod, runPreStop: false);
    }

    private static string Seconds(TimeSpan delay) => delay.TotalSeconds >= 1
        ? $"{Math.Round(delay.TotalSeconds)}s"
        : $"{Math.Round(delay.TotalMilliseconds)}ms";
}
