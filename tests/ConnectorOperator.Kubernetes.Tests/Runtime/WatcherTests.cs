using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Faults;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

/// <summary>Watcher and store through real HTTP against the double, with its fault injection. Each test owns a server.</summary>
public sealed class WatcherTests : IAsyncLifetime
{
    private ApiServerDouble _server = null!;
    private KubernetesClient _client = null!;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync(new ApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200), WatchHistorySize = 50 });
        _client = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress, ClusterTargets.FastRetries());
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    private static WatcherOptions Fast(int timeoutSeconds = 30) => new()
    {
        Namespace = "default",
        MinTimeoutSeconds = timeoutSeconds,
        MaxTimeoutSeconds = timeoutSeconds,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    private Task CreateAsync(string name) =>
        _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" } });

    private (Informer<V1ConfigMap> Informer, Task Running) Start(WatcherOptions options)
    {
        var informer = new Informer<V1ConfigMap>(_client, ResourceType.ConfigMap, options);
        return (informer, informer.RunAsync(_stop.Token));
    }

    /// <summary>
    /// Forces the next watch to be told 410 and ends the open one cleanly, until the watcher relists. A forced 410
    /// can land on a watch request racing the end of the old stream, so one attempt is not always observed.
    /// </summary>
    private async Task ForceRelistAsync(Informer<V1ConfigMap> informer, WatchGoneStyle style)
    {
        for (var attempt = 0; attempt < 20 && informer.Stats.Relists == 0; attempt++)
        {
            _server.Faults.ForceWatchGone(style);
            _server.Faults.EndWatches();
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
            while (informer.Stats.Relists == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Store_syncs_from_an_empty_list_then_follows_changes()
    {
        var (informer, _) = Start(Fast());
        await informer.Store.WaitForSyncAsync(_stop.Token);
        Assert.Equal(0, informer.Store.Count);

        await CreateAsync("a");
        await Eventually.TrueAsync(() => informer.Store.Get("default", "a") is not null, "the store sees the new object");
        await _client.DeleteAsync(ResourceType.ConfigMap, "default", "a");
        await Eventually.TrueAsync(() => informer.Store.Get("default", "a") is null, "the store drops the deleted object");
    }

    [Fact]
    public async Task Watch_relists_after_410_gone_as_an_error_event()
    {
        var (informer, _) = Start(Fast());
        await informer.Store.WaitForSyncAsync(_stop.Token);
        await ForceRelistAsync(informer, WatchGoneStyle.ErrorEvent);
        await CreateAsync("after-gone");

        await Eventually.TrueAsync(() => informer.Stats.Relists >= 1 && informer.Store.Get("default", "after-gone") is not null, "a relist brings the object in");
        Assert.True(informer.Stats.Lists >= 2);
    }

    [Fact]
    public async Task Watch_relists_after_410_gone_as_an_http_status()
    {
        var (informer, _) = Start(Fast());
        await informer.Store.WaitForSyncAsync(_stop.Token);
        await ForceRelistAsync(informer, WatchGoneStyle.HttpStatus);
        await CreateAsync("after-410");

        await Eventually.TrueAsync(() => informer.Stats.Relists >= 1 && informer.Store.Get("default", "after-410") is not null, "a relist brings the object in");
    }

    [Fact]
    public async Task A_too_old_resource_version_on_reconnect_relists_instead_of_looping()
    {
        var (informer, _) = Start(Fast());
        await informer.Store.WaitForSyncAsync(_stop.Token);
        _server.Faults.WatchesStalled = true;
        // Push the watcher's resourceVersion out of the bounded history while it hears nothing.
        for (var i = 0; i < 80; i++) await CreateAsync($"churn-{i}");
        _server.Faults.WatchesStalled = false;
        _server.Faults.CutWatches();

        await Eventually.TrueAsync(() => informer.Store.Count == 80, "all 80 objects arrive", TimeSpan.FromSeconds(20));
        Assert.True(informer.Stats.Relists >= 1);
    }

    [Fact]
    public async Task Metrics_hooks_hear_the_initial_list_clean_restarts_and_an_expiry_relist_by_reason()
    {
        var heard = new WatchHeard();
        var (informer, _) = Start(Fast(timeoutSeconds: 1) with { Metrics = heard });
        await informer.Store.WaitForSyncAsync(_stop.Token);
        await Eventually.TrueAsync(() => heard.Count("restart", "closed") >= 2, "server timeouts are counted as closed restarts", TimeSpan.FromSeconds(10));
        _server.Faults.WatchesStalled = true;
        for (var i = 0; i < 80; i++) await CreateAsync($"churn-{i}");
        _server.Faults.WatchesStalled = false;
        _server.Faults.CutWatches();

        await Eventually.TrueAsync(() => heard.Count("list", "expired") >= 1, "a 410 relist is counted as expired", TimeSpan.FromSeconds(20));
        Assert.Equal(1, heard.Count("list", "initial"));
        Assert.True(heard.Count("restart", "expired") >= 1);
        Assert.All(heard.Resources, r => Assert.Equal("configmaps", r));
    }

    private sealed class WatchHeard : IWatcherMetrics
    {
        private readonly List<(string Kind, string Resource, string Reason)> _heard = [];

        public IReadOnlyList<string> Resources
        {
            get { lock (_heard) return [.. _heard.Select(h => h.Resource)]; }
        }

        public int Count(string kind, string reason)
        {
            lock (_heard) return _heard.Count(h => h.Kind == kind && h.Reason == reason);
        }

        public void Listed(string resource, string reason)
        {
            lock (_heard) _heard.Add(("list", resource, reason));
        }

        public void Restarted(string resource, string reason)
        {
            lock (_heard) _heard.Add(("restart", resource, reason));
        }
    }

    [Fact]
    public async Task Clean_close_rewatches_at_once_without_relisting()
    {
        var (informer, _) = Start(Fast(timeoutSeconds: 1));
        await informer.Store.WaitForSyncAsync(_stop.Token);
        await Eventually.TrueAsync(() => informer.Stats.Watches >= 3, "the watch is renewed after each server timeout", TimeSpan.FromSeconds(10));
        await CreateAsync("still-seen");
        await Eventually.TrueAsync(() => informer.Store.Get("default", "still-seen") is not null, "events keep flowing");
        Assert.Equal(1, informer.Stats.Lists);
        Assert.Equal(0, informer.Stats.Backoffs);
    }

    [Fact]
    public async Task A_hung_watch_is_abandoned_after_the_idle_timeout()
    {
        var options = Fast() with { IdleTimeout = TimeSpan.FromMilliseconds(700) };
        var (informer, _) = Start(options);
        await informer.Store.WaitForSyncAsync(_stop.Token);
        _server.Faults.WatchesStalled = true;
        await Eventually.TrueAsync(() => informer.Stats.Backoffs >= 1, "the stalled stream is given up", TimeSpan.FromSeconds(10));
        _server.Faults.WatchesStalled = false;
        await CreateAsync("after-stall");
        await Eventually.TrueAsync(() => informer.Store.Get("default", "after-stall") is not null, "the new watch delivers events");
    }

    [Fact]
    public async Task Bookmarks_keep_the_resource_version_fresh_so_reconnects_need_no_relist()
    {
        var (informer, _) = Start(Fast());
        await informer.Store.WaitForSyncAsync(_stop.Token);
        await Task.Delay(600);
        _server.Faults.CutWatches();
        await CreateAsync("after-cut");
        await Eventually.TrueAsync(() => informer.Store.Get("default", "after-cut") is not null, "the re-watch delivers events");
        Assert.Equal(0, informer.Stats.Relists);
    }

    [Fact]
    public async Task Server_errors_back_off_and_recover()
    {
        var rule = _server.Faults.FailRequests(1.0, 500, pathContains: "/configmaps");
        var (informer, _) = Start(Fast());
        await Eventually.TrueAsync(() => informer.Stats.Backoffs >= 2, "list failures back off");
        Assert.False(informer.Store.HasSynced);
        _server.Faults.Remove(rule);
        await informer.Store.WaitForSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Relist_emits_deletes_for_objects_that_vanished_while_disconnected()
    {
        await CreateAsync("keeps");
        await CreateAsync("vanishes");
        var deleted = new List<string>();
        var informer = new Informer<V1ConfigMap>(_client, ResourceType.ConfigMap, Fast());
        informer.Subscribe(change =>
        {
            if (change.New is null) lock (deleted) deleted.Add(change.Old!.Metadata.Name!);
        });
        _ = informer.RunAsync(_stop.Token);
        await informer.Store.WaitForSyncAsync(_stop.Token);

        _server.Faults.WatchesStalled = true;
        _server.DeleteObject("v1", "ConfigMap", "default", "vanishes");
        for (var i = 0; i < 60; i++) await CreateAsync($"filler-{i}");
        _server.Faults.WatchesStalled = false;
        _server.Faults.ForceWatchGone(WatchGoneStyle.ErrorEvent);
        _server.Faults.CutWatches();

        await Eventually.TrueAsync(() => { lock (deleted) return deleted.Contains("vanishes"); }, "the relist reports the delete");
        Assert.NotNull(informer.Store.Get("default", "keeps"));
    }

    [Fact]
    public async Task A_cache_transform_strips_managed_fields_from_listed_and_watched_objects()
    {
        static JsonObject Applied(string name) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["data"] = new JsonObject { ["k"] = "v" },
        };
        var listed = await _client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, "default", "listed", KubernetesPatch.Apply(Applied("listed")), new PatchOptions { FieldManager = "tests" });
        Assert.NotEmpty(listed.Metadata.ManagedFields!);

        var informer = new Informer<V1ConfigMap>(_client, ResourceType.ConfigMap, Fast(), transform: CacheTransforms.WithoutManagedFields);
        _ = informer.RunAsync(_stop.Token);
        await informer.Store.WaitForSyncAsync(_stop.Token);
        await _client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, "default", "watched", KubernetesPatch.Apply(Applied("watched")), new PatchOptions { FieldManager = "tests" });
        await Eventually.TrueAsync(() => informer.Store.Get("default", "watched") is not null, "the store sees the watched object");

        foreach (var name in new[] { "listed", "watched" })
        {
            var cached = informer.Store.Get("default", name)!;
            Assert.Null(cached.Metadata.ManagedFields);
            Assert.Equal("v", cached.Data!["k"]);
            // List items arrive without apiVersion/kind; the watcher fills them in.
            Assert.Equal(("v1", "ConfigMap"), (cached.ApiVersion, cached.Kind));
        }
    }

    [Fact]
    public void Store_relist_swaps_state_and_reports_only_real_changes()
    {
        var writer = new StoreWriter<V1ConfigMap>();
        var store = writer.Store;
        static V1ConfigMap Cm(string name, string rv) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", ResourceVersion = rv } };
        writer.Apply(new WatcherEvent<V1ConfigMap>.Restarted([Cm("a", "1"), Cm("b", "2")]));
        var changes = writer.Apply(new WatcherEvent<V1ConfigMap>.Restarted([Cm("a", "1"), Cm("c", "3")]));

        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => c.New is null && c.Old!.Metadata.Name == "b");
        Assert.Contains(changes, c => c.Old is null && c.New!.Metadata.Name == "c");
        Assert.True(store.HasSynced);
    }

    [Fact]
    public void Store_index_by_controller_uid_follows_updates()
    {
        var writer = new StoreWriter<V1ConfigMap>();
        var store = writer.Store.AddIndex(StoreIndexes.ControllerUid, StoreIndexes.ByControllerUid);
        static V1ConfigMap Owned(string name, string owner) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", OwnerReferences = [new V1OwnerReference { Uid = owner, Controller = true, Kind = "X", Name = "x" }] },
        };
        writer.Apply(new WatcherEvent<V1ConfigMap>.Restarted([Owned("p1", "u1"), Owned("p2", "u1"), Owned("p3", "u2")]));
        Assert.Equal(2, store.ByIndex(StoreIndexes.ControllerUid, "u1").Count);
        writer.Apply(new WatcherEvent<V1ConfigMap>.Applied(Owned("p2", "u2")));
        Assert.Single(store.ByIndex(StoreIndexes.ControllerUid, "u1"));
        writer.Apply(new WatcherEvent<V1ConfigMap>.Deleted(Owned("p1", "u1")));
        Assert.Empty(store.ByIndex(StoreIndexes.ControllerUid, "u1"));
    }

    [Fact]
    public void Only_the_writer_changes_a_store_readers_get_no_writing_members()
    {
        var writing = typeof(Store<V1ConfigMap>).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(m => m.Name is "Apply" or "ExpectScopes" || m.ReturnType.Name.StartsWith("StoreWriter", StringComparison.Ordinal));
        Assert.Empty(writing);
        Assert.Empty(typeof(Store<V1ConfigMap>).GetConstructors());
        Assert.DoesNotContain(typeof(Informer<V1ConfigMap>).GetProperties(), p => p.PropertyType == typeof(StoreWriter<V1ConfigMap>));
    }

    [Fact]
    public async Task Reads_retry_on_429_and_500_but_writes_do_not_retry_on_500()
    {
        await CreateAsync("target");
        _server.Faults.FailNext(2, 429, method: "GET", retryAfterSeconds: 0);
        var fetched = await _client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, "default", "target");
        Assert.Equal("target", fetched.Metadata.Name);

        _server.Faults.FailNext(2, 500, method: "GET");
        Assert.NotNull(await _client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, "default", "target"));

        _server.Faults.FailNext(1, 500, method: "PATCH");
        var failure = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, "default", "target",
            KubernetesPatch.Merge(new JsonObject { ["data"] = new JsonObject { ["x"] = "1" } })));
        Assert.Equal(500, (int)failure.StatusCode);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_honoured_for_writes_too()
    {
        _server.Faults.FailNext(1, 429, method: "POST", retryAfterSeconds: 1);
        var started = DateTime.UtcNow;
        await CreateAsync("after-throttle");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task The_client_side_rate_limit_spaces_requests_beyond_the_burst()
    {
        using var limited = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress, new KubernetesClientOptions { QueriesPerSecond = 10, Burst = 2 });
        var started = DateTime.UtcNow;
        for (var i = 0; i < 8; i++) await limited.ListAsync<V1ConfigMap>(ResourceType.ConfigMap, "default");
        // 2 requests ride the burst; the other 6 wait for tokens at 10 per second.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(450), $"8 requests took only {DateTime.UtcNow - started}");
    }
}
