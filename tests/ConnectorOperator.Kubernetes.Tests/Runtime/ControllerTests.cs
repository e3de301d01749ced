using System.Collections.Concurrent;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using ConnectorOperator.LocalCluster;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

public sealed class ControllerTests : IAsyncLifetime
{
    private ApiServerDouble _server = null!;
    private KubernetesClient _client = null!;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync();
        _client = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress, ClusterTargets.FastRetries());
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    private sealed class RecordingReconciler(Func<ObjectKey, V1ConfigMap?, Task<ReconcileResult>>? body = null) : IReconciler<V1ConfigMap>
    {
        public ConcurrentQueue<(ObjectKey Key, bool Exists)> Calls { get; } = new();
        public int MaxConcurrentSameKey;
        private readonly ConcurrentDictionary<ObjectKey, int> _active = new();

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, V1ConfigMap? obj, CancellationToken cancellationToken)
        {
            var now = _active.AddOrUpdate(key, 1, (_, n) => n + 1);
            InterlockedMax(ref MaxConcurrentSameKey, now);
            try
            {
                Calls.Enqueue((key, obj is not null));
                return body is null ? ReconcileResult.Done : await body(key, obj);
            }
            finally
            {
                _active.AddOrUpdate(key, 0, (_, n) => n - 1);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
        }
    }

    private Informer<V1ConfigMap> Informer() => new(_client, ResourceType.ConfigMap, new WatcherOptions { Namespace = "default" });

    [Fact]
    public async Task Every_existing_object_is_reconciled_once_the_caches_sync()
    {
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "one", NamespaceProperty = "default" } });
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "two", NamespaceProperty = "default" } });
        var informer = Informer();
        var reconciler = new RecordingReconciler();
        var controller = new Controller<V1ConfigMap>(informer, reconciler);
        _ = informer.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);

        await Eventually.TrueAsync(() => reconciler.Calls.Select(c => c.Key.Name).Distinct().Count() == 2, "both objects are reconciled");
    }

    [Fact]
    public async Task Metrics_hooks_hear_each_result_the_failure_reason_and_the_queue()
    {
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "ok", NamespaceProperty = "default" } });
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "later", NamespaceProperty = "default" } });
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "fails", NamespaceProperty = "default" } });
        var failed = 0;
        var reconciler = new RecordingReconciler((key, _) => key.Name switch
        {
            "later" => Task.FromResult(ReconcileResult.After(TimeSpan.FromHours(1))),
            "fails" when Interlocked.Increment(ref failed) == 1 => throw new KubernetesApiException(System.Net.HttpStatusCode.Conflict, new V1Status { Reason = "Conflict", Code = 409 }),
            _ => Task.FromResult(ReconcileResult.Done),
        });
        var heard = new HeardMetrics();
        var informer = Informer();
        var controller = new Controller<V1ConfigMap>(informer, reconciler, metrics: heard, queueMetrics: heard);
        _ = informer.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);

        await Eventually.TrueAsync(() => heard.Results.Count(r => r == "success") >= 2, "the retried failure succeeds");
        Assert.Contains("requeue", heard.Results);
        Assert.Equal(["Conflict"], heard.Reasons);
        Assert.Single(heard.Results, r => r == "error");
        Assert.True(heard.Adds >= 3 && heard.Retries == 1 && heard.Taken >= 4 && heard.Completed >= 4);
    }

    private sealed class HeardMetrics : IControllerMetrics, IWorkQueueMetrics
    {
        public ConcurrentQueue<string> Results { get; } = new();
        public ConcurrentQueue<string> Reasons { get; } = new();
        public int Adds;
        public int Retries;
        public int Taken;
        public int Completed;

        public void Reconciled(string result, TimeSpan duration) => Results.Enqueue(result);

        public void ReconcileFailed(string reason) => Reasons.Enqueue(reason);

        public void Added() => Interlocked.Increment(ref Adds);

        public void Retried(TimeSpan delay) => Interlocked.Increment(ref Retries);

        public void DepthChanged(int depth) { }

        void IWorkQueueMetrics.Taken(TimeSpan waited) => Interlocked.Increment(ref Taken);

        void IWorkQueueMetrics.Completed(TimeSpan duration) => Interlocked.Increment(ref Completed);
    }

    [Fact]
    public async Task Owned_objects_wake_their_controller_and_deletion_reaches_the_reconciler_as_null()
    {
        var informer = Informer();
        var owned = new Informer<V1Secret>(_client, ResourceType.Secret, new WatcherOptions { Namespace = "default" });
        var reconciler = new RecordingReconciler();
        var controller = new Controller<V1ConfigMap>(informer, reconciler).Owns(owned);
        _ = informer.RunAsync(_stop.Token);
        _ = owned.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);
        var owner = await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner", NamespaceProperty = "default" } });
        await Eventually.TrueAsync(() => !reconciler.Calls.IsEmpty, "the owner is reconciled");
        var before = reconciler.Calls.Count;

        await _client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }],
            },
        });
        await Eventually.TrueAsync(() => reconciler.Calls.Count > before, "the child's creation wakes the owner");

        await _client.DeleteAsync(ResourceType.ConfigMap, "default", "owner", new DeleteOptions { PropagationPolicy = "Orphan" });
        await Eventually.TrueAsync(() => reconciler.Calls.Any(c => c.Key.Name == "owner" && !c.Exists), "deletion is reconciled with no object");
    }

    [Fact]
    public async Task A_change_of_an_owned_object_is_reconciled_before_a_backlog_of_new_objects()
    {
        var informer = Informer();
        var owned = new Informer<V1Secret>(_client, ResourceType.Secret, new WatcherOptions { Namespace = "default" });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new RecordingReconciler(async (key, _) =>
        {
            if (key.Name == "gate") await gate.Task;
            return ReconcileResult.Done;
        });
        var controller = new Controller<V1ConfigMap>(informer, reconciler, new ControllerOptions { Workers = 1 }).Owns(owned);
        _ = informer.RunAsync(_stop.Token);
        _ = owned.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);
        var owner = await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner", NamespaceProperty = "default" } });
        await Eventually.TrueAsync(() => reconciler.Calls.Any(c => c.Key.Name == "owner"), "the owner is reconciled");
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "gate", NamespaceProperty = "default" } });
        await Eventually.TrueAsync(() => reconciler.Calls.Any(c => c.Key.Name == "gate"), "the only worker is busy");

        for (var i = 0; i < 5; i++)
            await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"new-{i}", NamespaceProperty = "default" } });
        await Eventually.TrueAsync(() => controller.Queue.Count == 5, "the new objects wait");
        await _client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }],
            },
        });
        await Eventually.TrueAsync(() => controller.Queue.Count == 6, "the owner waits too");
        gate.SetResult();

        await Eventually.TrueAsync(() => reconciler.Calls.Count >= 8, "everything is reconciled");
        var afterGate = reconciler.Calls.Select(c => c.Key.Name).SkipWhile(n => n != "gate").Skip(1).ToList();
        Assert.Equal(["owner", "new-0", "new-1", "new-2", "new-3", "new-4"], afterGate);
    }

    [Fact]
    public async Task Status_only_updates_are_skipped_but_label_changes_are_not()
    {
        var informer = Informer();
        var reconciler = new RecordingReconciler();
        var controller = new Controller<V1ConfigMap>(informer, reconciler);
        _ = informer.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);
        var cm = await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "default" } });
        await Eventually.TrueAsync(() => reconciler.Calls.Count == 1, "the first reconcile");

        // Kinds that carry a generation: only a new generation or metadata that matters counts.
        var baseline = Clone(cm, _ => { });
        var filter = controller.Filter;
        Assert.Equal("ignore-status-only-updates", filter.Name);
        Assert.False(filter.Matches(new(baseline, Clone(cm, c => c.Metadata.ResourceVersion = "999"))));
        Assert.True(filter.Matches(new(baseline, Clone(cm, c => c.Metadata.Generation = 2))));
        Assert.True(filter.Matches(new(baseline, Clone(cm, c => c.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" }))));
        Assert.True(filter.Matches(new(baseline, Clone(cm, c => c.Metadata.DeletionTimestamp = DateTime.UtcNow))));
        // Kinds without one (a ConfigMap as the API server stores it): every update counts.
        Assert.Null(cm.Metadata.Generation);
        Assert.True(filter.Matches(new(cm, cm)));
    }

    [Fact]
    public void Named_predicates_combine_and_adds_and_deletes_always_pass()
    {
        var cm = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x", Generation = 1, Labels = new Dictionary<string, string> { ["a"] = "1" } } };
        var relabelled = Clone(cm, c => c.Metadata.Labels = new Dictionary<string, string> { ["a"] = "2" });
        var generation = ChangePredicates.GenerationChanged<V1ConfigMap>();
        var labels = ChangePredicates.LabelsChanged<V1ConfigMap>();

        Assert.False(generation.Matches(new(cm, relabelled)));
        Assert.True(labels.Matches(new(cm, relabelled)));
        Assert.True(generation.Or(labels).Matches(new(cm, relabelled)));
        Assert.False(generation.And(labels).Matches(new(cm, relabelled)));
        Assert.Equal("generation-changed or labels-changed", generation.Or(labels).Name);
        Assert.True(generation.Matches(new(null, cm)));
        Assert.True(generation.Matches(new(cm, null)));
    }

    [Fact]
    public async Task A_filter_on_a_watched_kind_drops_the_changes_it_rejects()
    {
        var informer = Informer();
        var secrets = new Informer<V1Secret>(_client, ResourceType.Secret, new WatcherOptions { Namespace = "default" });
        var reconciler = new RecordingReconciler();
        var onlyLabelled = new ChangePredicate<V1Secret>("labelled", c => (c.New ?? c.Old)!.Metadata.Labels?.ContainsKey("wake") == true);
        var controller = new Controller<V1ConfigMap>(informer, reconciler)
            .Watches(secrets, s => [new ObjectKey("default", s.Metadata.Name)], onlyLabelled);
        _ = informer.RunAsync(_stop.Token);
        _ = secrets.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);

        await _client.CreateAsync(ResourceType.Secret, new V1Secret { Metadata = new V1ObjectMeta { Name = "quiet", NamespaceProperty = "default" } });
        await _client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "loud", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["wake"] = "1" } },
        });
        await Eventually.TrueAsync(() => reconciler.Calls.Any(c => c.Key.Name == "loud"), "the labelled secret wakes its key");

        Assert.DoesNotContain(reconciler.Calls, c => c.Key.Name == "quiet");
    }

    [Fact]
    public void Owns_matches_the_owner_by_group_and_kind()
    {
        var connectors = new ResourceType("example.com", "v1", "Widget", "widgets");
        static V1Pod Child(string apiVersion, string kind) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = "child",
                NamespaceProperty = "ns",
                OwnerReferences = [new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = "owner", Uid = "u", Controller = true }],
            },
        };

        Assert.Equal([new ObjectKey("ns", "owner")], Controller<V1ConfigMap>.OwnerKeys(Child("example.com/v1", "Widget"), connectors));
        Assert.Equal([new ObjectKey("ns", "owner")], Controller<V1ConfigMap>.OwnerKeys(Child("example.com/v2beta1", "Widget"), connectors));
        Assert.Empty(Controller<V1ConfigMap>.OwnerKeys(Child("other.io/v1", "Widget"), connectors));
        Assert.Empty(Controller<V1ConfigMap>.OwnerKeys(Child("example.com/v1", "Gadget"), connectors));
        Assert.Empty(Controller<V1ConfigMap>.OwnerKeys(Child("v1", "ConfigMap"), connectors));
        Assert.Equal([new ObjectKey("ns", "owner")], Controller<V1ConfigMap>.OwnerKeys(Child("v1", "ConfigMap"), ResourceType.ConfigMap));
    }

    private static V1ConfigMap Clone(V1ConfigMap source, Action<V1ConfigMap> change)
    {
        var copy = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = source.Metadata.Name,
                NamespaceProperty = source.Metadata.NamespaceProperty,
                Generation = 1,
                ResourceVersion = source.Metadata.ResourceVersion,
            },
        };
        change(copy);
        return copy;
    }

    [Fact]
    public async Task Failures_back_off_and_requeue_after_is_honoured_without_concurrent_runs_of_a_key()
    {
        var attempts = 0;
        var informer = Informer();
        var reconciler = new RecordingReconciler(async (_, _) =>
        {
            await Task.Delay(20);
            return Interlocked.Increment(ref attempts) switch
            {
                <= 2 => throw new InvalidOperationException("transient"),
                3 => ReconcileResult.After(TimeSpan.FromMilliseconds(100)),
                _ => ReconcileResult.Done,
            };
        });
        var controller = new Controller<V1ConfigMap>(informer, reconciler, new ControllerOptions { Workers = 4 });
        _ = informer.RunAsync(_stop.Token);
        _ = controller.RunWorkersAsync(_stop.Token);
        await _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "flaky", NamespaceProperty = "default" } });
        for (var i = 0; i < 5; i++)
            await _client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, "default", "flaky", KubernetesPatch.Merge(new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } } }));

        await Eventually.TrueAsync(() => Volatile.Read(ref attempts) >= 4, "retries after failures and the requeue after success");
        Assert.Equal(1, reconciler.MaxConcurrentSameKey);
    }
}
