using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Watchers feeding one <see cref="Store{T}"/> and telling subscribers what changed, in order. One watcher
/// watches all namespaces; with a namespace list, one watcher per namespace shares the store.
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<(Watcher<T> Watcher, string? Scope)> _watchers = [];
    private readonly List<Action<StoreChange<T>>> _handlers = [];
    private readonly Lock _applyLock = new();
    private readonly StoreWriter<T> _writer = new();

    /// <param name="transform">Applied to every listed or watched object before the store keeps it (client-go's
    /// transform): strip what the caller never reads, e.g. <see cref="CacheTransforms.WithoutManagedFields{T}"/>.</param>
    public Informer(KubernetesClient client, ResourceType type, WatcherOptions? options = null, TimeProvider? time = null, ILogger? logger = null,
        IReadOnlyCollection<string>? namespaces = null, Func<T, T>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        options ??= new WatcherOptions();
        if (namespaces is { Count: > 0 } && type.Namespaced)
        {
            foreach (var ns in namespaces)
                _watchers.Add((new Watcher<T>(client, type, options with { Namespace = ns }, time, logger, transform), ns));
        }
        else
        {
            _watchers.Add((new Watcher<T>(client, type, options, time, logger, transform), null));
        }
        _writer.ExpectScopes(_watchers.Count);
    }

    public ResourceType Type { get; }

    /// <summary>The cache this informer alone writes; readers get this view, never the writer.</summary>
    public Store<T> Store => _writer.Store;

    public WatcherStats Stats => _watchers[0].Watcher.Stats;

    /// <summary>Subscribe before <see cref="RunAsync"/>. Handlers run on an informer loop: keep them quick (enqueue a key).</summary>
    public void Subscribe(Action<StoreChange<T>> handler) => _handlers.Add(handler);

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_watchers.Select(w => PumpAsync(w.Watcher, w.Scope, cancellationToken)));

    private async Task PumpAsync(Watcher<T> watcher, string? scope, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var ev in watcher.RunAsync(cancellationToken))
            {
                // Watchers of different namespaces share the store and the handlers: one at a time keeps order simple.
                lock (_applyLock)
                {
                    foreach (var change in _writer.Apply(ev, scope))
                    {
                        foreach (var handler in _handlers) handler(change);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
