using Microsoft.Extensions.Logging;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// What both kubelets share: their node, the HTTP client behind their probes, the pod status writer, and the loop that
/// syncs pods with the API server until the kubelet is disposed (a failed sync is logged and the next one runs).
/// </summary>
internal sealed class KubeletLoop : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private Task? _loop;

    public KubeletLoop(ApiServerDouble server, string nodeName, ILogger logger)
    {
        _logger = logger;
        Probe = new HttpProbe(_http);
        Status = new PodStatusWriter(server, TimeProvider.System);
        Node = new KubeletNode(server, nodeName);
    }

    public HttpProbe Probe { get; }

    public PodStatusWriter Status { get; }

    public KubeletNode Node { get; }

    /// <summary>Cancelled when the kubelet stops.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Registers the node, then runs <paramref name="sync"/> every <paramref name="interval"/> (read before each wait).</summary>
    public void Start(Func<CancellationToken, Task> sync, Func<TimeSpan> interval)
    {
        Node.Register();
        _loop = Task.Run(() => RunAsync(sync, interval, _stop.Token));
    }

    private async Task RunAsync(Func<CancellationToken, Task> sync, Func<TimeSpan> interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await sync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Kubelet sync failed");
            }
            try
            {
                await Task.Delay(interval(), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops the loop and waits for the sync under way; the kubelet then stops its pods and disposes this.</summary>
    public async Task StopAsync()
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
    }

    public void Dispose()
    {
        _http.Dispose();
        _stop.Dispose();
    }
}
