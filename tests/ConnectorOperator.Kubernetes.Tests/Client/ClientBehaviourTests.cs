using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Tests.Support;
using ConnectorOperator.TestSupport.Clusters;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Client;

/// <summary>The client against the documented API behaviour: runs on the double, and on a real cluster when one is named.</summary>
public class ClientBehaviourTests(ClusterTargets targets) : IClassFixture<ClusterTargets>
{
    private static V1ConfigMap Map(string ns, string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? data = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels }, Data = data ?? new() { ["k"] = "v" } };

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Create_get_patch_and_delete_round_trip_typed_objects(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);

        var created = await client.CreateAsync(ResourceType.ConfigMap, Map(ns, "settings"));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);

        var patched = await client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "settings",
            KubernetesPatch.Merge(new JsonObject { ["data"] = new JsonObject { ["k"] = "w", ["added"] = "1" } }));
        Assert.Equal("w", patched.Data!["k"]);
        Assert.True(long.Parse(patched.Metadata.ResourceVersion!) > long.Parse(created.Metadata.ResourceVersion!));

        var fetched = await client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "settings");
        Assert.Equal("1", fetched.Data!["added"]);

        Assert.True(await client.DeleteAsync(ResourceType.ConfigMap, ns, "settings"));
        Assert.Null(await client.TryGetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "settings"));
        Assert.False(await client.DeleteAsync(ResourceType.ConfigMap, ns, "settings"));
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Errors_carry_the_servers_status(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        await client.CreateAsync(ResourceType.ConfigMap, Map(ns, "once"));

        var duplicate = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(ResourceType.ConfigMap, Map(ns, "once")));
        Assert.True(duplicate.IsAlreadyExists);
        Assert.Equal("AlreadyExists", duplicate.Status.Reason);

        var missing = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "nope"));
        Assert.True(missing.IsNotFound);
        Assert.Contains("nope", missing.Status.Message);
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Stale_resource_version_is_a_conflict(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        var original = await client.CreateAsync(ResourceType.ConfigMap, Map(ns, "cm"));
        var stale = await client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "cm");
        original.Data!["k"] = "first";
        await client.ReplaceAsync(ResourceType.ConfigMap, original);

        stale.Data!["k"] = "second";
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ReplaceAsync(ResourceType.ConfigMap, stale));
        Assert.True(conflict.IsConflict);
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Lists_page_with_limit_and_continue_and_filter_by_label(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        for (var i = 0; i < 23; i++)
            await client.CreateAsync(ResourceType.ConfigMap, Map(ns, $"cm-{i:00}", new() { ["parity"] = i % 2 == 0 ? "even" : "odd" }));

        var first = await client.ListAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, new ListOptions { Limit = 10 });
        Assert.Equal(10, first.Items.Count);
        Assert.False(string.IsNullOrEmpty(first.Metadata.ContinueProperty));

        var all = await client.ListAllAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, new ListOptions { Limit = 7 });
        Assert.Equal(23, all.Items.Count(i => i.Metadata.Name!.StartsWith("cm-", StringComparison.Ordinal)));
        Assert.Equal(23, all.Items.Select(i => i.Metadata.Name).Distinct().Count(n => n!.StartsWith("cm-", StringComparison.Ordinal)));

        var even = await client.ListAllAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, new ListOptions { LabelSelector = "parity=even" });
        Assert.Equal(12, even.Items.Count);

        var none = await client.ListAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, new ListOptions { LabelSelector = "parity=neither" });
        Assert.Empty(none.Items);
        Assert.False(string.IsNullOrEmpty(none.Metadata.ResourceVersion));
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Json_patch_test_op_guards_concurrent_finalizer_edits(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        var cm = Map(ns, "guarded");
        cm.Metadata.Finalizers = ["example.com/a"];
        await client.CreateAsync(ResourceType.ConfigMap, cm);

        var wrongGuess = new JsonPatchBuilder()
            .Test("/metadata/finalizers", new JsonArray("example.com/other"))
            .Replace("/metadata/finalizers", new JsonArray())
            .Build();
        var rejected = await Assert.ThrowsAsync<KubernetesApiException>(() => client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "guarded", wrongGuess));
        Assert.True(rejected.IsInvalid);

        var right = new JsonPatchBuilder()
            .Test("/metadata/finalizers", new JsonArray("example.com/a"))
            .Replace("/metadata/finalizers", new JsonArray())
            .Build();
        var cleared = await client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "guarded", right);
        Assert.True(cleared.Metadata.Finalizers is null or { Count: 0 });
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Finalizers_hold_a_deleted_object_until_removed(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        var cm = Map(ns, "held");
        cm.Metadata.Finalizers = ["example.com/hold"];
        await client.CreateAsync(ResourceType.ConfigMap, cm);

        Assert.True(await client.DeleteAsync(ResourceType.ConfigMap, ns, "held"));
        var terminating = await client.GetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "held");
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);

        await client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "held",
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }));
        await Eventually.TrueAsync(async () => await client.TryGetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "held") is null, "the object is gone");
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Deleting_an_owner_cascades_to_its_dependents(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        var owner = await client.CreateAsync(ResourceType.ConfigMap, Map(ns, "owner"));
        var dependent = Map(ns, "dependent");
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }];
        await client.CreateAsync(ResourceType.ConfigMap, dependent);

        await client.DeleteAsync(ResourceType.ConfigMap, ns, "owner", new DeleteOptions { PropagationPolicy = "Background" });
        await Eventually.TrueAsync(async () => await client.TryGetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "dependent") is null,
            "the garbage collector removes the dependent", TimeSpan.FromSeconds(30));
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Delete_precondition_on_uid_protects_a_recreated_object(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        await client.CreateAsync(ResourceType.ConfigMap, Map(ns, "same-name"));
        var wrong = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            client.DeleteAsync(ResourceType.ConfigMap, ns, "same-name", new DeleteOptions { PreconditionUid = Guid.NewGuid().ToString() }));
        Assert.Equal(409, (int)wrong.StatusCode);
        Assert.NotNull(await client.TryGetAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "same-name"));
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Metadata_only_lists_carry_no_secret_data(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        await client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["password"] = "hunter2" },
        });

        var list = await client.ListAsync<PartialObjectMetadata>(ResourceType.Secret, ns);
        var item = Assert.Single(list.Items, i => i.Metadata.Name == "creds");
        Assert.Equal("PartialObjectMetadata", item.Kind);
        Assert.False(string.IsNullOrEmpty(item.Metadata.ResourceVersion));
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task Server_side_apply_creates_then_merges_under_a_field_manager(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        JsonObject Config(string value) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "applied", ["namespace"] = ns },
            ["data"] = new JsonObject { ["owned"] = value },
        };
        var created = await client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "applied", KubernetesPatch.Apply(Config("1")), new PatchOptions { FieldManager = "tests" });
        Assert.Equal("1", created.Data!["owned"]);
        var updated = await client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "applied", KubernetesPatch.Apply(Config("2")), new PatchOptions { FieldManager = "tests" });
        Assert.Equal("2", updated.Data!["owned"]);
        Assert.Contains(updated.Metadata.ManagedFields!, f => f.Manager == "tests");
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task A_watch_streams_changes_in_order_with_advancing_resource_versions(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        var list = await client.ListAsync<V1ConfigMap>(ResourceType.ConfigMap, ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, string?, long)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var ev in client.WatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, TimeoutSeconds = 30 }, cts.Token))
            {
                if (ev.Type == WatchEventType.Bookmark) continue;
                seen.Add((ev.Type, ev.Object!.Metadata.Name, long.Parse(ev.Object.Metadata.ResourceVersion!)));
                if (ev.Type == WatchEventType.Deleted) break;
            }
        });

        await client.CreateAsync(ResourceType.ConfigMap, Map(ns, "watched"));
        await client.PatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, "watched", KubernetesPatch.Merge(new JsonObject { ["data"] = new JsonObject { ["k"] = "2" } }));
        await client.DeleteAsync(ResourceType.ConfigMap, ns, "watched");
        await watching;

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Select(s => s.Item1));
        Assert.True(seen[0].Item3 < seen[1].Item3 && seen[1].Item3 < seen[2].Item3);
    }
}
