using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using ConnectorOperator.LocalCluster;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

public sealed class EventsTests : IAsyncLifetime
{
    private const string MicroTime = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly V1ConfigMap _object = new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "bot-config", NamespaceProperty = "team-a", Uid = "uid-1", ResourceVersion = "42" },
    };

    private ApiServerDouble _server = null!;
    private InterceptingHandler _network = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync();
        _server.CreateObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "team-a" } });
        _network = new InterceptingHandler();
        _client = new KubernetesClient(_network, _server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Record_creates_an_event_about_the_object_in_its_namespace()
    {
        await using var recorder = NewRecorder();
        recorder.Record(_object, EventTypes.Warning, "ConfigInvalid", "Validate", "brand id is missing");
        await recorder.FlushAsync().WaitAsync(Patience);

        var @event = Assert.Single(Events("team-a"));
        Assert.Matches(@"^bot-config\.[0-9a-f]{16}$", @event["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("events.k8s.io/v1", @event["apiVersion"]!.GetValue<string>());
        Assert.Equal("Warning", @event["type"]!.GetValue<string>());
        Assert.Equal("ConfigInvalid", @event["reason"]!.GetValue<string>());
        Assert.Equal("Validate", @event["action"]!.GetValue<string>());
        Assert.Equal("brand id is missing", @event["note"]!.GetValue<string>());
        Assert.Equal("connectoroperator.dev/operator", @event["reportingController"]!.GetValue<string>());
        Assert.Equal("replica-1", @event["reportingInstance"]!.GetValue<string>());
        Assert.Matches(MicroTime, @event["eventTime"]!.GetValue<string>());
        Assert.Null(@event["series"]);

        var regarding = @event["regarding"]!;
        Assert.Equal("v1", regarding["apiVersion"]!.GetValue<string>());
        Assert.Equal("ConfigMap", regarding["kind"]!.GetValue<string>());
        Assert.Equal("team-a", regarding["namespace"]!.GetValue<string>());
        Assert.Equal("bot-config", regarding["name"]!.GetValue<string>());
        Assert.Equal("uid-1", regarding["uid"]!.GetValue<string>());
        Assert.Equal("42", regarding["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_about_cluster_scoped_objects_go_to_the_default_namespace()
    {
        await using var recorder = NewRecorder();
        var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "team-b", Uid = "uid-ns" } };
        recorder.Record(ns, EventTypes.Normal, "Adopted", "Watch", "namespace now served");
        await recorder.FlushAsync().WaitAsync(Patience);

        var @event = Assert.Single(Events("default"));
        Assert.Null(@event["regarding"]!["namespace"]);
        Assert.Equal("Namespace", @event["regarding"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Repeats_within_the_window_count_up_one_events_series()
    {
        var time = new ManualTimeProvider();
        await using var recorder = NewRecorder(time: time);
        for (var i = 0; i < 3; i++)
        {
            recorder.Record(_object, EventTypes.Warning, "ConnectFailed", "Connect", "connection refused");
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await recorder.FlushAsync().WaitAsync(Patience);

        var @event = Assert.Single(Events("team-a"));
        Assert.Equal(3, @event["series"]!["count"]!.GetValue<int>());
        Assert.Equal("2030-01-01T00:00:02.000000Z", @event["series"]!["lastObservedTime"]!.GetValue<string>());
        Assert.Equal("2030-01-01T00:00:00.000000Z", @event["eventTime"]!.GetValue<string>());
        Assert.Equal(1, _network.Requests().Count(r => r.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Equal(2, _network.Requests().Count(r => r.StartsWith("PATCH", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Different_notes_reasons_or_objects_make_separate_events()
    {
        await using var recorder = NewRecorder();
        var other = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "other", NamespaceProperty = "team-a", Uid = "uid-2" } };
        recorder.Record(_object, EventTypes.Normal, "Started", "Start", "pod 1");
        recorder.Record(_object, EventTypes.Normal, "Started", "Start", "pod 2");
        recorder.Record(_object, EventTypes.Normal, "Stopped", "Stop", "pod 1");
        recorder.Record(other, EventTypes.Normal, "Started", "Start", "pod 1");
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal(4, Events("team-a").Count);
        Assert.All(Events("team-a"), e => Assert.Null(e["series"]));
    }

    [Fact]
    public async Task A_repeat_after_the_window_starts_a_new_event()
    {
        var time = new ManualTimeProvider();
        await using var recorder = NewRecorder(time: time);
        recorder.Record(_object, EventTypes.Normal, "Scaled", "Scale", "2 replicas");
        time.Advance(TimeSpan.FromMinutes(10));
        recorder.Record(_object, EventTypes.Normal, "Scaled", "Scale", "2 replicas");
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal(2, Events("team-a").Count);
    }

    [Fact]
    public async Task A_series_whose_event_expired_on_the_server_starts_over()
    {
        await using var recorder = NewRecorder();
        recorder.Record(_object, EventTypes.Normal, "Scaled", "Scale", "2 replicas");
        await recorder.FlushAsync().WaitAsync(Patience);
        var first = Assert.Single(Events("team-a"))["metadata"]!["name"]!.GetValue<string>();
        await _client.DeleteAsync(ResourceType.Event, "team-a", first);

        recorder.Record(_object, EventTypes.Normal, "Scaled", "Scale", "2 replicas");
        await recorder.FlushAsync().WaitAsync(Patience);

        var second = Assert.Single(Events("team-a"));
        Assert.NotEqual(first, second["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(second["series"]);
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public async Task A_failing_api_never_reaches_the_caller_and_the_event_is_dropped_after_retries()
    {
        await using var recorder = NewRecorder();
        _network.Fault = _ => HttpStatusCode.InternalServerError;

        recorder.Record(_object, EventTypes.Warning, "ConnectFailed", "Connect", "connection refused");
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal(1, recorder.Dropped);
        Assert.Equal(3, _network.Requests().Count(r => r.StartsWith("POST", StringComparison.Ordinal)));

        // The recorder keeps working once the API recovers.
        _network.Fault = null;
        recorder.Record(_object, EventTypes.Warning, "ConnectFailed", "Connect", "connection refused");
        await recorder.FlushAsync().WaitAsync(Patience);
        Assert.Single(Events("team-a"));
    }

    [Fact]
    public async Task A_refused_event_is_dropped_without_retrying()
    {
        await using var recorder = NewRecorder();
        _network.Fault = _ => HttpStatusCode.Forbidden;

        recorder.Record(_object, EventTypes.Normal, "Started", "Start", "pod 1");
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal(1, recorder.Dropped);
        Assert.Single(_network.Requests(), r => r.StartsWith("POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_api_server_never_reaches_the_caller()
    {
        using var nowhere = new KubernetesClient(new SocketsHttpHandler(), new Uri("http://127.0.0.1:1"));
        await using var recorder = new EventRecorder(nowhere, Options());
        recorder.Record(_object, EventTypes.Normal, "Started", "Start", "pod 1");
        await recorder.FlushAsync().WaitAsync(Patience);
        Assert.Equal(1, recorder.Dropped);
    }

    [Fact]
    public async Task A_full_queue_drops_events_instead_of_blocking_the_caller()
    {
        var options = Options();
        options.QueueCapacity = 2;
        options.DrainTimeout = TimeSpan.FromMilliseconds(200);
        var recorder = NewRecorder(options);
        _network.Delay = _ => TimeSpan.FromSeconds(2);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++) recorder.Record(_object, EventTypes.Normal, "Tick", "Count", $"tick {i}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"recording took {clock.Elapsed}");
        Assert.InRange(recorder.Dropped, 47, 48);

        await recorder.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_burst_of_three_thousand_events_from_eight_workers_is_written_without_dropping_any()
    {
        await using var recorder = NewRecorder(Options());
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 375; i++)
            {
                var regarding = new V1ConfigMap
                {
                    ApiVersion = "v1",
                    Kind = "ConfigMap",
                    Metadata = new V1ObjectMeta { Name = $"bot-{worker}-{i}", NamespaceProperty = "team-a", Uid = $"uid-{worker}-{i}" },
                };
                recorder.Record(regarding, EventTypes.Normal, "ConnectorCreated", "Create", $"connector {i} of worker {worker}");
            }
        })));
        await recorder.FlushAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(0, recorder.Dropped);
        Assert.Equal(3000, Events("team-a").Count);
    }

    [Fact]
    public async Task Invalid_input_is_dropped_without_throwing()
    {
        await using var recorder = NewRecorder();
        recorder.Record(_object, "Bogus", "Reason", "Action", "note");
        recorder.Record((IKubernetesObject<V1ObjectMeta>)null!, EventTypes.Normal, "Reason", "Action", "note");
        recorder.Record(_object, EventTypes.Normal, "", "Action", "note");
        recorder.Record(new V1ConfigMap(), EventTypes.Normal, "Reason", "Action", "note");
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal(4, recorder.Dropped);
        Assert.Empty(Events("team-a"));
    }

    [Fact]
    public async Task Long_notes_are_cut_to_1_KiB_and_long_reasons_to_128_characters()
    {
        await using var recorder = NewRecorder();
        recorder.Record(_object, EventTypes.Normal, new string('R', 300), "Act", new string('é', 2000));
        await recorder.FlushAsync().WaitAsync(Patience);

        var @event = Assert.Single(Events("team-a"));
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(@event["note"]!.GetValue<string>()));
        Assert.Equal(128, @event["reason"]!.GetValue<string>().Length);
    }

    [Fact]
    public void Cutting_to_a_byte_budget_never_splits_a_character()
    {
        var text = new string('a', 1022) + "😀b";
        var cut = EventRecorder.CutUtf8(text, 1024);
        Assert.Equal(new string('a', 1022), cut);
        Assert.Equal("short", EventRecorder.CutUtf8("short", 1024));
    }

    [Fact]
    public async Task Disposal_writes_the_events_still_queued()
    {
        var recorder = NewRecorder();
        for (var i = 0; i < 5; i++) recorder.Record(_object, EventTypes.Normal, "Started", "Start", $"pod {i}");
        await recorder.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(5, Events("team-a").Count);
        recorder.Record(_object, EventTypes.Normal, "Started", "Start", "after disposal");
        await recorder.FlushAsync().WaitAsync(Patience);
        Assert.Equal(5, Events("team-a").Count);
    }

    private static EventRecorderOptions Options() => new()
    {
        ReportingInstance = "replica-1",
        RetryDelay = TimeSpan.FromMilliseconds(10),
    };

    private EventRecorder NewRecorder(EventRecorderOptions? options = null, TimeProvider? time = null) =>
        new(_client, options ?? Options(), time);

    private List<JsonObject> Events(string @namespace) => [.. _server.ListObjects("events.k8s.io/v1", "Event", @namespace)];
}
