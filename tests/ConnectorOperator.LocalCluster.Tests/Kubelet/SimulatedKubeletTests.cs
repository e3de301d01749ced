using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;

namespace ConnectorOperator.LocalCluster.Tests.Kubelet;

/// <summary>Runs alone: the 2,000-pod test counts the process's threads, descriptors and file watchers.</summary>
[CollectionDefinition(nameof(ProcessWideCounts), DisableParallelization = true)]
public sealed class ProcessWideCounts;

/// <summary>The simulated kubelet with the fake-connector fleet: concurrency, restarts, and many pods on one listener.</summary>
[Collection(nameof(ProcessWideCounts))]
public sealed class SimulatedKubeletTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private ApiServerDouble _server = null!;
    private FakeConnectorFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync(new ApiServerOptions { PodsTerminateImmediately = false });
        _fleet = await FakeConnectorFleet.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Starts_pods_concurrently_up_to_the_bound_so_a_slow_start_holds_up_no_other_pod()
    {
        var inFlight = 0;
        var mostAtOnce = 0;
        var stuck = new TaskCompletionSource<ISimulatedContainer?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuckStarting = false;
        await using var kubelet = Kubelet(new SimulatedKubeletOptions
        {
            MaxConcurrentPods = 4,
            StartContainer = async (pod, address, cancellationToken) =>
            {
                if (PodSpecReader.Name(pod) == "stuck")
                {
                    Volatile.Write(ref stuckStarting, true);
                    return await stuck.Task.WaitAsync(cancellationToken);
                }
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref mostAtOnce, now);
                await Task.Delay(300, cancellationToken);
                Interlocked.Decrement(ref inFlight);
                return null;
            },
        });
        _server.CreateObject(Pod("stuck", "u0"));
        await WaitAsync(() => Volatile.Read(ref stuckStarting), "the stuck start is under way");
        for (var i = 1; i <= 12; i++) _server.CreateObject(Pod($"p{i}", $"u{i}"));

        await WaitAsync(() => Enumerable.Range(1, 12).All(i => Ready($"p{i}")), "every pod but the stuck one is Ready");
        Assert.False(Ready("stuck"));
        Assert.InRange(Volatile.Read(ref mostAtOnce), 2, 4);
        stuck.SetResult(null);
    }

    [Fact]
    public async Task A_failed_start_is_retried_after_crash_loop_back_off_until_the_connector_runs()
    {
        _fleet.For("flaky").FailingStarts = 2;
        await using var kubelet = Kubelet(new SimulatedKubeletOptions { StartContainer = _fleet.StartContainerAsync, BackOffInitial = TimeSpan.FromMilliseconds(100) });
        _server.CreateObject(Pod("flaky-0", "flaky", readinessPort: _fleet.Port));

        await WaitAsync(() => Ready("flaky-0"), "the third start runs and is Ready");
        var container = ContainerStatus("flaky-0");
        Assert.Equal(2, container["restartCount"]!.GetValue<int>());
        Assert.Equal("StartError", container["lastState"]!["terminated"]!["reason"]!.GetValue<string>());
        Assert.Single(_fleet.Started, s => s.Pod == "flaky-0");
    }

    [Fact]
    public async Task A_crashed_connector_shows_its_exit_and_is_restarted()
    {
        await using var kubelet = Kubelet(new SimulatedKubeletOptions { StartContainer = _fleet.StartContainerAsync, BackOffInitial = TimeSpan.FromMilliseconds(100) });
        _server.CreateObject(Pod("crashy-0", "crashy", readinessPort: _fleet.Port));
        await WaitAsync(() => Ready("crashy-0"), "the connector is Ready");

        Assert.Equal(1, _fleet.Crash("crashy", exitCode: 3));

        await WaitAsync(() => Ready("crashy-0") && ContainerStatus("crashy-0")["restartCount"]!.GetValue<int>() == 1, "the restarted connector is Ready");
        Assert.Equal(3, ContainerStatus("crashy-0")["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal(2, _fleet.Started.Count(s => s.Pod == "crashy-0"));
    }

    [Fact]
    public async Task One_listener_answers_each_pod_with_its_own_scripted_status()
    {
        await using var kubelet = Kubelet(new SimulatedKubeletOptions { StartContainer = _fleet.StartContainerAsync });
        _server.CreateObject(Pod("a-0", "alice", readinessPort: _fleet.Port));
        _server.CreateObject(Pod("b-0", "bob", readinessPort: _fleet.Port));
        await WaitAsync(() => Ready("a-0") && Ready("b-0"), "both connectors are Ready");
        _fleet.For("alice").ActiveConversations = 45;
        _fleet.For("bob").Fail(ConnectorReasons.BotUnreachable, "the bot's health check timed out");
        using var http = new HttpClient();

        var alice = await StatusAsync(http, "a-0");
        var bob = await StatusAsync(http, "b-0");

        Assert.Equal(("alice", ConnectorReportState.Online, 45), (alice.AgentUser, alice.State, alice.ActiveConversations));
        Assert.Equal(("bob", ConnectorReportState.Offline, ComponentState.NotConnected), (bob.AgentUser, bob.State, bob.Components!.Bot!.Status));
        Assert.Equal(ComponentState.Connected, bob.Components.Authentication!.Status);
        await WaitAsync(() => !Ready("b-0"), "bob's readiness probe fails");
        var drain = await http.GetAsync(new Uri($"http://{PodIp("a-0")}:{_fleet.Port}{ConnectorEndpoints.Drain}"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, drain.StatusCode);
        Assert.Equal(ConnectorReportState.Draining, (await StatusAsync(http, "a-0")).State);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.250.250:{_fleet.Port}{ConnectorEndpoints.Status}")));
    }

    [Fact]
    public async Task Two_thousand_pods_get_ready_on_one_listener_without_a_thread_descriptor_or_file_watcher_per_pod()
    {
        const int pods = 2000;
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var descriptorsBefore = Descriptors();
        var watchersBefore = Descriptors("anon_inode:inotify");
        await using var kubelet = Kubelet(new SimulatedKubeletOptions { StartContainer = _fleet.StartContainerAsync, ProbePeriodScale = 0.2, SyncInterval = TimeSpan.FromMilliseconds(200) });
        for (var i = 0; i < pods; i++) _server.CreateObject(Pod($"bulk-{i}", $"bulk{i}", readinessPort: _fleet.Port));

        await WaitAsync(() => _server.ListObjects("v1", "Pod").Count(IsReady) == pods, "every pod is Ready", TimeSpan.FromMinutes(3));

        Assert.Equal(pods, _fleet.Running.Count);
        Assert.Equal(watchersBefore, Descriptors("anon_inode:inotify"));
        Assert.InRange(Descriptors() - descriptorsBefore, int.MinValue, 200);
        Assert.InRange(Process.GetCurrentProcess().Threads.Count - threadsBefore, int.MinValue, 60);
    }

    private SimulatedKubelet Kubelet(SimulatedKubeletOptions options)
    {
        var kubelet = new SimulatedKubelet(_server, options);
        kubelet.Start();
        return kubelet;
    }

    private async Task<ConnectorStatusReport> StatusAsync(HttpClient http, string pod) =>
        (await http.GetFromJsonAsync(new Uri($"http://{PodIp(pod)}:{_fleet.Port}{ConnectorEndpoints.Status}"), ConnectorStatusJsonContext.Default.ConnectorStatusReport))!;

    private static JsonObject Pod(string name, string agentUser, int? readinessPort = null)
    {
        var container = new JsonObject
        {
            ["name"] = "connector",
            ["image"] = "connector:test",
            ["env"] = new JsonArray(new JsonObject { ["name"] = ConnectorEnvironment.AgentUser, ["value"] = agentUser }),
        };
        if (readinessPort is { } port)
            container["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = ConnectorEndpoints.Readyz, ["port"] = port }, ["periodSeconds"] = 5 };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
        };
    }

    private JsonObject Get(string pod) => _server.GetObject("v1", "Pod", "default", pod) ?? throw new InvalidOperationException($"pod {pod} is gone");

    private JsonObject ContainerStatus(string pod) => Get(pod)["status"]!["containerStatuses"]![0]!.AsObject();

    private string PodIp(string pod) => Get(pod)["status"]!["podIP"]!.GetValue<string>();

    private bool Ready(string pod) => IsReady(Get(pod));

    private static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    private static int Descriptors(string? target = null) =>
        new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(fd => target is null || fd.LinkTarget == target);

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current && Interlocked.CompareExchange(ref location, value, current) is var seen && seen != current) current = seen;
    }

    private static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? patience = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > (patience ?? Patience)) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
