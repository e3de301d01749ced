using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.LocalCluster;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

public sealed class FinalizersTests : IAsyncLifetime
{
    private const string Namespace = "team-a";
    private const string Ours = "example.dev/cleanup";
    private ApiServerDouble _server = null!;
    private KubernetesClient _client = null!;
    private Finalizers<V1ConfigMap> _finalizers = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync();
        _server.CreateObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } });
        _client = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress);
        _finalizers = new Finalizers<V1ConfigMap>(_client, ResourceType.ConfigMap, Ours);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Adding_keeps_other_controllers_finalizers_and_returns_the_patched_object()
    {
        var created = await CreateAsync("bot", ["other.dev/keep"]);

        var patched = await _finalizers.AddAsync(created);

        Assert.NotNull(patched);
        Assert.Equal(["other.dev/keep", Ours], patched.Metadata.Finalizers);
        Assert.NotEqual(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
        Assert.Equal(["other.dev/keep", Ours], (await GetAsync("bot")).Metadata.Finalizers);
        // Already on: no write at all.
        Assert.Same(patched, await _finalizers.AddAsync(patched));
    }

    [Fact]
    public async Task Adding_from_a_stale_copy_loses_the_race_instead_of_overwriting()
    {
        var stale = await CreateAsync("bot", null);
        await _client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, Namespace, "bot",
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray("other.dev/new") } }));

        Assert.Null(await _finalizers.AddAsync(stale));
        Assert.Equal(["other.dev/new"], (await GetAsync("bot")).Metadata.Finalizers);
    }

    [Fact]
    public async Task A_deleted_object_stays_until_the_cleanup_is_done_then_goes()
    {
        var withFinalizer = (await _finalizers.AddAsync(await CreateAsync("bot", null)))!;
        Assert.Equal(FinalizeOutcome.NotDeleting, await _finalizers.FinalizeAsync(withFinalizer, _ => throw new InvalidOperationException("not deleting")));
        await _client.DeleteAsync(ResourceType.ConfigMap, Namespace, "bot");
        var deleting = await GetAsync("bot");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        var cleanups = 0;
        Assert.Equal(FinalizeOutcome.Pending, await _finalizers.FinalizeAsync(deleting, _ => Task.FromResult(++cleanups > 1)));
        Assert.NotNull(await _client.TryGetAsync<V1ConfigMap>(ResourceType.ConfigMap, Namespace, "bot"));

        Assert.Equal(FinalizeOutcome.Removed, await _finalizers.FinalizeAsync(deleting, _ => Task.FromResult(++cleanups > 1)));
        Assert.Equal(2, cleanups);
        Assert.Null(await _client.TryGetAsync<V1ConfigMap>(ResourceType.ConfigMap, Namespace, "bot"));
    }

    [Fact]
    public async Task Removing_leaves_other_finalizers_and_a_deletion_without_ours_is_not_ours()
    {
        var withBoth = (await _finalizers.AddAsync(await CreateAsync("bot", ["other.dev/keep"])))!;
        Assert.True(await _finalizers.RemoveAsync(withBoth));
        var left = await GetAsync("bot");
        Assert.Equal(["other.dev/keep"], left.Metadata.Finalizers);
        Assert.True(await _finalizers.RemoveAsync(left));

        await _client.DeleteAsync(ResourceType.ConfigMap, Namespace, "bot");
        Assert.Equal(FinalizeOutcome.NotOurs, await _finalizers.FinalizeAsync(await GetAsync("bot"), _ => throw new InvalidOperationException("not ours")));
    }

    [Fact]
    public async Task Removing_from_a_stale_copy_is_a_conflict_and_keeps_the_finalizer()
    {
        var stale = (await _finalizers.AddAsync(await CreateAsync("bot", null)))!;
        await _client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, Namespace, "bot",
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray(Ours, "other.dev/late") } }));
        await _client.DeleteAsync(ResourceType.ConfigMap, Namespace, "bot");
        var deleting = stale;
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Equal(FinalizeOutcome.Conflict, await _finalizers.FinalizeAsync(deleting, _ => Task.FromResult(true)));
        Assert.Equal([Ours, "other.dev/late"], (await GetAsync("bot")).Metadata.Finalizers);
    }

    private Task<V1ConfigMap> CreateAsync(string name, List<string>? finalizers) => _client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Finalizers = finalizers },
    });

    private Task<V1ConfigMap> GetAsync(string name) => _client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, Namespace, name);
}
