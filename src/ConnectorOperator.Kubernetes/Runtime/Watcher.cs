using System.Runtime.CompilerServices;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Keeps one kind in view forever: paged LIST, then WATCH from the list's resourceVersion, advancing it on
/// every event and bookmark. A clean close re-watches at once; 410 Gone (status or ERROR event) relists;
/// anything else backs off with jitter. It never gives up; only cancellation ends it.
/// </summary>
public sealed class Watcher<T>(KubernetesClient client, ResourceType type, WatcherOptions? options = null,
    TimeProvider? time = null, ILogger? logger = null, Func<T, T>? transform = null)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly WatcherOptions _options = options ?? new WatcherOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Counts for tests and metrics: how often we listed, watched, and backed off.</summary>
    public WatcherStats Stats { get; } = new();

    public async IAsyncEnumerable<WatcherEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var listReason = "initial";
        var resource = type.Plural;
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffResetAfter);

        while (!cancellationToken.IsCancellationRequested)
        {
            if (resourceVersion is null)
            {
                KubernetesList<T>? list = null;
                try
                {
                    Stats.Lists++;
                    _options.Metrics?.Listed(resource, listReason);
                    list = await client.ListAllAsync<T>(type, _options.Namespace, new ListOptions
                    {
                        LabelSelector = _options.LabelSelector,
                        FieldSelector = _options.FieldSelector,
                        Limit = _options.PageSize,
                    }, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    listReason = "list_error";
                    await BackOffAsync(e, "list", backoff, cancellationToken);
                    continue;
                }
                resourceVersion = list.Metadata.ResourceVersion ?? "0";
                var items = new List<T>(list.Items.Count);
                foreach (var item in list.Items) items.Add(Received(item));
                yield return new WatcherEvent<T>.Restarted(items);
            }

            var timeout = Random.Shared.Next(_options.MinTimeoutSeconds, _options.MaxTimeoutSeconds + 1);
            var watchOptions = new WatchOptions
            {
                ResourceVersion = resourceVersion,
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                TimeoutSeconds = timeout,
                AllowBookmarks = true,
                IdleTimeout = _options.IdleTimeout ?? TimeSpan.FromSeconds(timeout) + _options.IdleGrace,
            };

            Stats.Watches++;
            var stream = client.WatchAsync<T>(type, _options.Namespace, watchOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
            Exception? failure = null;
            var gone = false;
            try
            {
                while (true)
                {
                    WatchEvent<T> ev;
                    try
                    {
                        if (!await stream.MoveNextAsync()) break;
                        ev = stream.Current;
                    }
                    catch (KubernetesApiException e) when (e.IsGone)
                    {
                        gone = true;
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        failure = e;
                        break;
                    }

                    if (ev.Type == WatchEventType.Error)
                    {
                        if (ev.Status?.Code == 410 || ev.Status?.Reason is "Expired" or "Gone")
                        {
                            gone = true;
                        }
                        else
                        {
                            failure = new InvalidOperationException($"watch {type} error event: {ev.Status?.Code} {ev.Status?.Reason}: {ev.Status?.Message}");
                        }
                        break;
                    }
                    if (ev.Object is { Kind: "Status" } && type.Kind != "Status")
                    {
                        // A Status where an object belongs (a proxy or a broken server): never let it into the store.
                        failure = new InvalidDataException($"watch {type}: a {ev.Type} event carried a Status instead of a {type.Kind}");
                        break;
                    }
                    if (ev.Object?.Metadata?.ResourceVersion is { Length: > 0 } rv) resourceVersion = rv;
                    switch (ev.Type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            yield return new WatcherEvent<T>.Applied(Received(ev.Object!));
                            break;
                        case WatchEventType.Deleted:
                            yield return new WatcherEvent<T>.Deleted(Received(ev.Object!));
                            break;
                    }
                }
            }
            finally
            {
                await stream.DisposeAsync();
            }

            if (!cancellationToken.IsCancellationRequested)
                _options.Metrics?.Restarted(resource, gone ? "expired" : failure is not null ? "error" : "closed");
            if (gone)
            {
                Stats.Relists++;
                listReason = "expired";
                _logger.LogInformation("Watch of {Resource} expired at resourceVersion {ResourceVersion}; relisting", type, resourceVersion);
                resourceVersion = null;
            }
            else if (failure is not null)
            {
                await BackOffAsync(failure, "watch", backoff, cancellationToken);
            }
            // A clean close: the server's timeout ran out. Re-watch from where we are, at once.
        }
    }

    private async Task BackOffAsync(Exception e, string what, Backoff backoff, CancellationToken cancellationToken)
    {
        var delay = backoff.Next(_time.GetUtcNow());
        Stats.Backoffs++;
        _logger.LogWarning("{What} of {Resource} failed ({Error}); retrying in {Delay}", what, type, e.Message, delay);
        await Task.Delay(delay, _time, cancellationToken);
    }

    /// <summary>
    /// Every object on its way to the store. List items come without apiVersion and kind (the API server sends
    /// them only on the list itself) and the library's models have no defaults, so they are filled in; then the
    /// cache transform (if any) drops what the caller never reads, before the object is retained.
    /// </summary>
    private T Received(T obj)
    {
        obj.ApiVersion ??= type.ApiVersion;
        obj.Kind ??= type.Kind;
        return transform is null ? obj : transform(obj);
    }
}

public sealed class WatcherStats
{
    public int Lists { get; internal set; }
    public int Relists { get; internal set; }
    public int Watches { get; internal set; }
    public int Backoffs { get; internal set; }
}
