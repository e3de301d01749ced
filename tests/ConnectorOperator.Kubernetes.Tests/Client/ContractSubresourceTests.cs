using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using ConnectorOperator.TestSupport.Clusters;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Client;

/// <summary>
/// The rest of the contract the runtime leans on: /status and /scale of a custom resource, bookmarks, 410 for a
/// resume point the server no longer holds, and the Lease cycle of leader election. Same lanes, same results.
/// </summary>
public class ContractSubresourceTests(ClusterTargets targets) : IClassFixture<ClusterTargets>
{
    private static readonly JsonSerializerOptions Json = ConnectorOperator.Kubernetes.Serialization.KubernetesJson.CreateOptions(ContractJsonContext.Default);

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task The_status_subresource_changes_status_only_and_the_main_resource_leaves_status_alone(string target)
    {
        var client = await targets.ClientForAsync(target, json: Json);
        var ns = await targets.NamespaceAsync(client);
        await Widgets.InstallAsync(client);

        var created = await client.CreateAsync(Widgets.Type, Widgets.New(ns, "w", replicas: 1, statusReplicas: 7));
        Assert.Null(created.Status);

        created.Spec.Replicas = 5;
        created.Status = new WidgetStatus { Replicas = 3 };
        var viaStatus = await client.ReplaceAsync(Widgets.Type, created, subresource: "status");
        Assert.Equal(1, viaStatus.Spec.Replicas);
        Assert.Equal(3, viaStatus.Status!.Replicas);

        viaStatus.Spec.Replicas = 2;
        viaStatus.Status = new WidgetStatus { Replicas = 9 };
        var viaMain = await client.ReplaceAsync(Widgets.Type, viaStatus);
        Assert.Equal(2, viaMain.Spec.Replicas);
        Assert.Equal(3, viaMain.Status!.Replicas);
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task The_scale_subresource_reads_and_writes_the_declared_replica_paths(string target)
    {
        var client = await targets.ClientForAsync(target, json: Json);
        var ns = await targets.NamespaceAsync(client);
        await Widgets.InstallAsync(client);
        var created = await client.CreateAsync(Widgets.Type, Widgets.New(ns, "scaled", replicas: 2));
        created.Status = new WidgetStatus { Replicas = 1 };
        await client.ReplaceAsync(Widgets.Type, created, subresource: "status");

        var scale = await client.GetAsync<V1Scale>(Widgets.Type, ns, "scaled", "scale");
        Assert.Equal("Scale", scale.Kind);
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal(1, scale.Status.Replicas);

        await client.PatchAsync<V1Scale>(Widgets.Type, ns, "scaled", KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 4 } }),
            new PatchOptions { Subresource = "scale" });
        Assert.Equal(4, (await client.GetAsync<Widget>(Widgets.Type, ns, "scaled")).Spec.Replicas);
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task A_quiet_watch_that_allows_bookmarks_gets_one_carrying_a_resume_point(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        var list = await client.ListAsync<V1ConfigMap>(ResourceType.ConfigMap, ns);

        // A real API server sends a bookmark about 2 s before the watch's deadline; the double sends them on its interval.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        WatchEvent<V1ConfigMap>? bookmark = null;
        await foreach (var ev in client.WatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns,
            new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, TimeoutSeconds = 6, AllowBookmarks = true }, cts.Token))
        {
            if (ev.Type != WatchEventType.Bookmark) continue;
            bookmark = ev;
            break;
        }

        Assert.NotNull(bookmark);
        Assert.False(string.IsNullOrEmpty(bookmark.Object?.Metadata?.ResourceVersion));
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task A_watch_from_a_resource_version_the_server_no_longer_holds_is_told_410_gone(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        // Outrun the double's watch history; a real server's window begins after its start, long after version 1.
        for (var i = 0; i < ClusterTargets.DoubleWatchHistory + 20; i++)
            await client.CreateAsync(ResourceType.ConfigMap, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"c{i}", NamespaceProperty = ns } });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int? code;
        try
        {
            code = null;
            await foreach (var ev in client.WatchAsync<V1ConfigMap>(ResourceType.ConfigMap, ns, new WatchOptions { ResourceVersion = "1", TimeoutSeconds = 10 }, cts.Token))
            {
                Assert.Equal(WatchEventType.Error, ev.Type);
                code = ev.Status?.Code;
                break;
            }
        }
        catch (KubernetesApiException e) when (e.IsGone)
        {
            code = 410;
        }

        Assert.Equal(410, code);
    }

    [Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named), OnCluster(ClusterLanes.K3s)]
    public async Task A_leader_holds_and_renews_its_lease_and_releases_it_so_the_next_replica_takes_over_at_once(string target)
    {
        var client = await targets.ClientForAsync(target);
        var ns = await targets.NamespaceAsync(client);
        LeaderElector Elector(string identity) => new(client, new LeaderElectionOptions
        {
            LeaseName = "contract",
            LeaseNamespace = ns,
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(30),
            RenewDeadline = TimeSpan.FromSeconds(4),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        });

        using var firstTerm = new CancellationTokenSource();
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Elector("first").RunAsync(async ct =>
        {
            firstLeads.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }, () => { }, cancellationToken: firstTerm.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var held = await client.GetAsync<V1Lease>(ResourceType.Lease, ns, "contract");
        Assert.Equal("first", held.Spec.HolderIdentity);
        await Eventually.TrueAsync(async () =>
            (await client.GetAsync<V1Lease>(ResourceType.Lease, ns, "contract")).Spec.RenewTime > held.Spec.RenewTime, "the leader renewed its lease");

        firstTerm.Cancel();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null((await client.GetAsync<V1Lease>(ResourceType.Lease, ns, "contract")).Spec.HolderIdentity);

        // Well inside the 30 s lease duration: only a released lease lets the second replica lead this soon.
        using var secondTerm = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var secondLed = false;
        await Elector("second").RunAsync(_ =>
        {
            secondLed = true;
            return Task.CompletedTask;
        }, () => { }, cancellationToken: secondTerm.Token);
        Assert.True(secondLed);
    }
}

/// <summary>A custom resource with status and scale subresources, standing in for any operator's kind.</summary>
internal static class Widgets
{
    public const string Group = "contracts.connector-operator.test";
    public static readonly ResourceType Type = new(Group, "v1", "Widget", "widgets");

    public static Widget New(string ns, string name, int replicas, int? statusReplicas = null) => new()
    {
        ApiVersion = $"{Group}/v1",
        Kind = "Widget",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new WidgetSpec { Replicas = replicas },
        Status = statusReplicas is { } s ? new WidgetStatus { Replicas = s } : null,
    };

    /// <summary>Creates the CRD once per cluster (a real one may already have it) and waits until it serves.</summary>
    public static async Task InstallAsync(KubernetesClient client)
    {
        var crd = new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{Type.Plural}.{Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Kind = "Widget", ListKind = "WidgetList", Plural = "widgets", Singular = "widget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources
                        {
                            Status = new object(),
                            Scale = new V1CustomResourceSubresourceScale { SpecReplicasPath = ".spec.replicas", StatusReplicasPath = ".status.replicas" },
                        },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["spec"] = Replicas(),
                                    ["status"] = Replicas(),
                                },
                            },
                        },
                    },
                ],
            },
        };
        try
        {
            await client.CreateAsync(ResourceType.CustomResourceDefinition, crd);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
        }
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await client.ListAsync<Widget>(Type, "default");
                return true;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }, "the Widget CRD serves", TimeSpan.FromSeconds(30));
    }

    private static V1JSONSchemaProps Replicas() => new()
    {
        Type = "object",
        Properties = new Dictionary<string, V1JSONSchemaProps> { ["replicas"] = new() { Type = "integer", Format = "int32" } },
    };
}

internal sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public WidgetSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public WidgetStatus? Status { get; set; }
}

internal sealed class WidgetSpec
{
    [JsonPropertyName("replicas")] public int Replicas { get; set; }
}

internal sealed class WidgetStatus
{
    [JsonPropertyName("replicas")] public int Replicas { get; set; }
}

[JsonSerializable(typeof(Widget))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;
