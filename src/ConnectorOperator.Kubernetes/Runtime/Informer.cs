using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Watcher feeding a <see cref="Store{T}"/> and telling subscribers what changed, in order.</summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject
{
    private readonly Watcher<T> _watcher;
    private readonly List<Action<StoreChange<T>>> _handlers = [];

    public Informer(KubernetesClient client, ResourceType type, WatcherOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        Type = type;
        _watcher = new Watcher<T>(client, type, options, time, logger);
    }

    public ResourceType Type { get; }

    public Store<T> Store { get; } = new();

    public WatcherStats Stats => _watcher.Stats;

    /// <summary>Subscribe before <see cref="RunAsync"/>. Handlers run on the informer's loop: keep them quick (enqueue a key).</summary>
    public void Subscribe(Action<StoreChange<T>> handler) => _handlers.Add(handler);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var ev in _watcher.RunAsync(cancellationToken))
            {
                foreach (var change in Store.Apply(ev))
                {
                    foreach (var handler in _handlers) handler(change);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
