using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Contracts;
using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Serialization;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.Reconciliation;
using k8s.Models;

namespace ConnectorOperator.Benchmarks;

/// <summary>
/// What a pod cache retains. The operator's own connector pods (PodFactory, created with a field manager and
/// given a running status by a second manager, so the server records managedFields for both) are listed once
/// from the API server double; the list is decoded, transformed as the watcher does and kept in a store;
/// retained = managed heap after a full collection minus before, per pod, with the server already gone. Not
/// a BenchmarkDotNet job: retention is a steady-state size, not a time.
/// Run: <c>make bench ARGS="cache-memory"</c> (optionally a pod count: <c>ARGS="cache-memory 1000"</c>).
/// </summary>
internal static class CachedPodMemory
{
    private static readonly Dictionary<string, (string Name, Func<V1Pod, V1Pod>? Transform)> Modes = new()
    {
        ["full"] = ("none (the library's full V1Pod)", null),
        ["no-managed-fields"] = ("CacheTransforms.WithoutManagedFields", CacheTransforms.WithoutManagedFields),
        ["lean"] = ("ConnectorPodCache.Lean (the operator's)", ConnectorPodCache.Lean),
    };

    /// <summary>Each transform in a fresh child process, so one measurement's leftovers never skew the next.</summary>
    public static async Task RunAsync(int pods, string? mode)
    {
        if (mode is not null)
        {
            Measure(await ListJsonAsync(pods), pods, Modes[mode].Name, Modes[mode].Transform);
            return;
        }
        Console.WriteLine($"Retained per cached connector pod, {pods} pods ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version})");
        Console.WriteLine("| cache transform | retained per pod | heap for all | JSON per pod |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var name in Modes.Keys)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(CachedPodMemory).Assembly.Location);
            foreach (var arg in new[] { "cache-memory", pods.ToString(CultureInfo.InvariantCulture), name }) start.ArgumentList.Add(arg);
            using var child = Process.Start(start)!;
            Console.Write(await child.StandardOutput.ReadToEndAsync());
            await child.WaitForExitAsync();
            if (child.ExitCode != 0) throw new InvalidOperationException($"cache-memory {name} exited with {child.ExitCode}");
        }
    }

    /// <summary>The pod list exactly as the server sends it; the server is gone before anything is measured.</summary>
    private static async Task<byte[]> ListJsonAsync(int pods)
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions());
        using (var client = new KubernetesClient(new SocketsHttpHandler(), server.BaseAddress))
            await CreatePodsAsync(server, client, pods);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        return await http.GetByteArrayAsync(new Uri(ResourceType.Pod.PathFor("bots"), UriKind.Relative));
    }

    /// <summary>Decodes the list, transforms each pod as the watcher does, and keeps them in a store: the cache.</summary>
    private static void Measure(byte[] json, int pods, string name, Func<V1Pod, V1Pod>? transform)
    {
        // Once first: serializer metadata for the whole V1Pod graph is built on first use and kept per process.
        GC.KeepAlive(Cache(json, transform));
        var before = Settle();
        var store = Cache(json, transform);
        var after = Settle();
        if (store.Count != pods) throw new InvalidOperationException($"cached {store.Count} of {pods} pods");
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {(after - before) / pods / 1024.0:F1} KB | {(after - before) / 1048576.0:F1} MB | {json.Length / pods / 1024.0:F1} KB |"));
        GC.KeepAlive(store);
        GC.KeepAlive(json);
    }

    // Not inlined, so no temporary of the decode outlives it in the caller's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Store<V1Pod> Cache(byte[] json, Func<V1Pod, V1Pod>? transform)
    {
        var writer = new StoreWriter<V1Pod>();
        writer.Store.AddIndex(StoreIndexes.ControllerUid, StoreIndexes.ByControllerUid);
        var list = JsonSerializer.Deserialize(json, KubernetesJson.Default.ListTypeInfo<V1Pod>())!;
        writer.Apply(new WatcherEvent<V1Pod>.Restarted([.. list.Items.Select(p => transform is null ? p : transform(p))]));
        return writer.Store;
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task CreatePodsAsync(ApiServerDouble server, KubernetesClient client, int pods)
    {
        var settings = new OperatorSettings { DefaultImage = "ghcr.io/connectoroperator/connector:0.1.0" };
        var connector = new AgentConnector
        {
            Metadata = new V1ObjectMeta { Name = "sales", NamespaceProperty = "bots", Uid = "9d1c6f3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f" },
            Spec = new AgentConnectorSpec
            {
                Bot = new BotReference { Id = "bot-1" },
                AccountId = "12345678",
                ConversationType = ConversationType.Messaging,
                AgentUsers = [.. Enumerable.Range(0, pods).Select(i => new AgentUser { LoginName = $"bot{i}", CredentialsSecretRef = new SecretReference { Name = $"bot{i}-creds" } })],
            },
        };
        var credentials = CredentialsInfo.FromKeys("creds", CredentialsInfo.ApiKeyKeys);
        await client.CreateAsync(ResourceType.Namespace, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "bots" } });
        // The pods' owner must exist, or the double's garbage collector removes them.
        server.CreateObject(CrdGenerator.Generate(AgentConnectorCrd.Definition));
        var owner = server.CreateObject(new JsonObject
        {
            ["apiVersion"] = AgentConnector.Resource.ApiVersion,
            ["kind"] = AgentConnector.KindName,
            ["metadata"] = new JsonObject { ["name"] = "sales", ["namespace"] = "bots" },
            ["spec"] = new JsonObject
            {
                ["bot"] = new JsonObject { ["id"] = "bot-1" },
                ["accountId"] = "12345678",
                ["conversationType"] = "Messaging",
                ["agentUsers"] = new JsonArray(new JsonObject { ["loginName"] = "bot0", ["credentialsSecretRef"] = new JsonObject { ["name"] = "creds" } }),
            },
        });
        connector.Metadata.Uid = owner["metadata"]!["uid"]!.GetValue<string>();
        for (var i = 0; i < pods; i++)
        {
            var pod = PodFactory.Build(connector, connector.Spec.AgentUsers[i], credentials, i, "a1b2c3d4e5", settings);
            pod.Spec.NodeName = $"node-{i % 50}";
            await client.CreateAsync(ResourceType.Pod, pod);
            var status = JsonNode.Parse(string.Create(CultureInfo.InvariantCulture, $$"""
                {"status":{"phase":"Running","podIP":"10.0.{{i / 250}}.{{i % 250}}","podIPs":[{"ip":"10.0.{{i / 250}}.{{i % 250}}"}],"hostIP":"192.168.0.{{i % 50}}",
                 "startTime":"2026-11-21T10:00:05Z","qosClass":"Burstable",
                 "conditions":[{"type":"Initialized","status":"True","lastTransitionTime":"2026-11-21T10:00:05Z"},{"type":"Ready","status":"True","lastTransitionTime":"2026-11-21T10:00:09Z"},
                   {"type":"ContainersReady","status":"True","lastTransitionTime":"2026-11-21T10:00:09Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-11-21T10:00:05Z"}],
                 "containerStatuses":[{"name":"connector","ready":true,"started":true,"restartCount":0,"image":"ghcr.io/connectoroperator/connector:0.1.0",
                   "imageID":"ghcr.io/connectoroperator/connector@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                   "containerID":"containerd://{{i:D4}}aa5b6c7d8e9f00112233445566778899aabbccddeeff00112233445566",
                   "state":{"running":{"startedAt":"2026-11-21T10:00:06Z"} } }]} }
                """))!.AsObject();
            await client.PatchAsync<V1Pod>(ResourceType.Pod, "bots", pod.Metadata.Name, KubernetesPatch.Merge(status),
                new PatchOptions { Subresource = "status", FieldManager = "kubelet" });
        }
    }
}
