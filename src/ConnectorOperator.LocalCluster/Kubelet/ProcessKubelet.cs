using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// A kubelet for the API server double that runs each pod's container as a local process, picked by image name
/// from an <see cref="ImageMap"/>. It resolves the environment from Secrets and ConfigMaps, gives each pod its own
/// loopback address, probes, restarts with CrashLoopBackOff, and on deletion runs preStop, SIGTERM and SIGKILL
/// before it removes the pod. Disposing it (or this process exiting) kills every container process.
/// The API server should run with <see cref="ApiServerOptions.PodsTerminateImmediately"/> false, so deletions wait for it.
/// </summary>
public sealed class ProcessKubelet : IAsyncDisposable
{
    private readonly ApiServerDouble _server;
    private readonly ProcessKubeletOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new();
    private readonly ConcurrentDictionary<string, Task> _terminations = new();
    private readonly KubeletLoop _kubelet;

    public ProcessKubelet(ApiServerDouble server, ProcessKubeletOptions? options = null, ILogger? logger = null)
    {
        _server = server;
        _options = options ?? new ProcessKubeletOptions();
        _logger = logger ?? NullLogger.Instance;
        _kubelet = new KubeletLoop(server, _options.NodeName, _logger);
    }

    public PodAddresses Addresses => _options.Addresses;

    /// <summary>Process ids of the containers running now, by pod (namespace/name).</summary>
    public IReadOnlyDictionary<string, int> RunningProcesses =>
        _workers.Values.Select(w => (Key: $"{w.Namespace}/{w.Name}", Pid: w.ProcessId)).Where(p => p.Pid is not null)
            .ToDictionary(p => p.Key, p => p.Pid!.Value, StringComparer.Ordinal);

    /// <summary>The log file of a pod's container.</summary>
    public string LogPath(string @namespace, string name) => Path.Combine(_options.LogDirectory, $"{@namespace}_{name}.log");

    public void Start() => _kubelet.Start(_ =>
    {
        Sync();
        return Task.CompletedTask;
    }, () => _options.SyncInterval);

    private void Sync()
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in _server.ListObjects("v1", "Pod"))
        {
            if (_options.Ignores(pod)) continue;
            var nodeName = pod["spec"]?["nodeName"]?.GetValue<string>();
            if (nodeName is not null && nodeName != _options.NodeName) continue;
            var uid = PodSpecReader.Uid(pod);
            present.Add(uid);
            var deleting = PodSpecReader.IsDeleting(pod);
            if (!_workers.TryGetValue(uid, out var worker))
            {
                if (_terminations.ContainsKey(uid)) continue;
                if (deleting)
                {
                    _kubelet.Node.Remove(PodSpecReader.Namespace(pod), PodSpecReader.Name(pod));
                    continue;
                }
                worker = Admit(pod, uid);
            }
            worker.Update(pod);
            if (deleting && !worker.Terminating) BeginTermination(uid, worker, PodSpecReader.GracePeriod(pod), remove: true);
        }
        // Gone from the API without this kubelet finishing them (deleted with grace 0, or the namespace went).
        foreach (var (uid, worker) in _workers)
        {
            if (!present.Contains(uid) && !worker.Terminating) BeginTermination(uid, worker, TimeSpan.FromSeconds(2), remove: false);
        }
    }

    private PodWorker Admit(JsonObject pod, string uid)
    {
        _kubelet.Node.Bind(pod);
        var worker = new PodWorker(pod, Addresses.Assign(uid), LogPath(PodSpecReader.Namespace(pod), PodSpecReader.Name(pod)), _server, _options, _kubelet.Probe, _kubelet.Status, _logger);
        _workers[uid] = worker;
        worker.Start();
        return worker;
    }

    private void BeginTermination(string uid, PodWorker worker, TimeSpan gracePeriod, bool remove)
    {
        _logger.LogInformation("Stopping {Namespace}/{Pod} (grace period {GracePeriod})", worker.Namespace, worker.Name, gracePeriod);
        _terminations[uid] = Task.Run(async () =>
        {
            try
            {
                await worker.TerminateAsync(gracePeriod, runPreStop: true);
                if (remove) _kubelet.Node.Remove(worker.Namespace, worker.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Stopping {Namespace}/{Pod} failed", worker.Namespace, worker.Name);
            }
            finally
            {
                _workers.TryRemove(uid, out _);
                worker.Dispose();
                Addresses.Release(uid);
                _terminations.TryRemove(uid, out _);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _kubelet.StopAsync();
        await Task.WhenAll(_workers.Values.Select(w => w.ShutdownAsync()).Concat(_terminations.Values));
        foreach (var worker in _workers.Values) worker.Dispose();
        _kubelet.Dispose();
    }
}
