using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Faults;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class WatchTests : ApiServerTest
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    protected override ApiServerOptions? Options => new ApiServerOptions { WatchHistorySize = 20, BookmarkInterval = TimeSpan.FromMilliseconds(200) };

    private static string Name(JsonObject e) => e["object"]!["metadata"]!["name"]!.GetValue<string>();

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    [Fact]
    public async Task Watch_from_zero_sends_current_state_then_changes()
    {
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("existing"));
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion=0");
        Assert.Equal(HttpStatusCode.OK, watch.Status);
        var added = (await watch.NextAsync())!;
        Assert.Equal(("ADDED", "existing"), (Type(added), Name(added)));
        Assert.Equal("ConfigMap", added["object"]!["kind"]!.GetValue<string>());

        var created = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("fresh"))).Json;
        var next = (await watch.NextAsync())!;
        Assert.Equal(("ADDED", "fresh"), (Type(next), Name(next)));

        created["data"]!["key"] = "changed";
        await Client.PutAsync($"{ConfigMaps}/fresh", created);
        var modified = (await watch.NextAsync())!;
        Assert.Equal(("MODIFIED", "changed"), (Type(modified), modified["object"]!["data"]!["key"]!.GetValue<string>()));

        await Client.DeleteAsync($"{ConfigMaps}/fresh");
        var deleted = (await watch.NextAsync())!;
        Assert.Equal("DELETED", Type(deleted));
        Assert.True(long.Parse(deleted["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(modified["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_from_resource_version_replays_later_changes()
    {
        var list = (await Client.GetAsync(ConfigMaps)).Json;
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("one"));
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("two"));

        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=true&resourceVersion={rv}");
        Assert.Equal("one", Name((await watch.NextAsync())!));
        Assert.Equal("two", Name((await watch.NextAsync())!));
        await watch.ExpectSilenceAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Too_old_resource_version_is_an_error_event_in_a_200_stream()
    {
        var rv = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("old"))).ResourceVersion!;
        for (var i = 0; i < 25; i++)
        {
            await Client.PostAsync(ConfigMaps, Objects.ConfigMap($"churn-{i}"));
        }

        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion={rv}");
        Assert.Equal(HttpStatusCode.OK, watch.Status);
        var error = (await watch.NextAsync())!;
        Assert.Equal("ERROR", Type(error));
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith("too old resource version", error["object"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Forced_gone_can_be_an_http_410()
    {
        Server.Faults.ForceWatchGone(WatchGoneStyle.HttpStatus);
        var reply = (await Client.GetAsync($"{ConfigMaps}?watch=1&resourceVersion=1")).Expect(HttpStatusCode.Gone).Json;
        Assert.Equal("Expired", reply["reason"]!.GetValue<string>());

        await using var next = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1");
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal((1, 0), (Server.Faults.GoneServed(WatchGoneStyle.HttpStatus), Server.Faults.GoneServed(WatchGoneStyle.ErrorEvent)));
    }

    [Fact]
    public async Task Forced_gone_can_be_an_error_event()
    {
        Server.Faults.ForceWatchGone(WatchGoneStyle.ErrorEvent);
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion=1");
        var error = (await watch.NextAsync())!;
        Assert.Equal(("ERROR", 410), (Type(error), error["object"]!["code"]!.GetValue<int>()));
        Assert.Equal((1, 0), (Server.Faults.GoneServed(WatchGoneStyle.ErrorEvent), Server.Faults.GoneServed(WatchGoneStyle.HttpStatus)));
    }

    [Fact]
    public async Task Bookmarks_carry_only_the_resource_version()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&allowWatchBookmarks=true&resourceVersion={Server.CurrentResourceVersion}");
        var bookmark = (await watch.NextAsync(TimeSpan.FromSeconds(3)))!;
        Assert.Equal("BOOKMARK", Type(bookmark));
        var obj = bookmark["object"]!.AsObject();
        Assert.Equal("ConfigMap", obj["kind"]!.GetValue<string>());
        Assert.Equal(Server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), obj["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Single(obj["metadata"]!.AsObject());
    }

    [Fact]
    public async Task No_bookmarks_unless_asked()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion={Server.CurrentResourceVersion}");
        await watch.ExpectSilenceAsync(TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public async Task Timeout_seconds_closes_the_stream_cleanly()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&timeoutSeconds=1&resourceVersion={Server.CurrentResourceVersion}");
        var started = DateTime.UtcNow;
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(5)));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Selector_transitions_become_added_and_deleted()
    {
        var cm = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("mover", labels: new JsonObject { ["watched"] = "no" }))).Json;
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&labelSelector=watched%3Dyes&resourceVersion={Server.CurrentResourceVersion}");

        cm["metadata"]!["labels"]!["watched"] = "yes";
        cm = (await Client.PutAsync($"{ConfigMaps}/mover", cm)).Json;
        Assert.Equal(("ADDED", "mover"), (Type((await watch.NextAsync())!), "mover"));

        cm["data"]!["key"] = "v2";
        cm = (await Client.PutAsync($"{ConfigMaps}/mover", cm)).Json;
        Assert.Equal("MODIFIED", Type((await watch.NextAsync())!));

        cm["metadata"]!["labels"]!["watched"] = "no";
        await Client.PutAsync($"{ConfigMaps}/mover", cm);
        var left = (await watch.NextAsync())!;
        Assert.Equal("DELETED", Type(left));
        Assert.Equal("no", left["object"]!["metadata"]!["labels"]!["watched"]!.GetValue<string>());

        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("unwatched"));
        await watch.ExpectSilenceAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Field_selector_watches_a_single_object()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&fieldSelector=metadata.name%3Dtarget");
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("other"));
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("target"));
        Assert.Equal("target", Name((await watch.NextAsync())!));
    }

    [Fact]
    public async Task Namespaced_watch_ignores_other_namespaces()
    {
        await Client.PostAsync("/api/v1/namespaces", Objects.Namespace("elsewhere"));
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion={Server.CurrentResourceVersion}");
        await Client.PostAsync("/api/v1/namespaces/elsewhere/configmaps", Objects.ConfigMap("x", "elsewhere"));
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("y"));
        Assert.Equal("y", Name((await watch.NextAsync())!));
    }

    [Fact]
    public async Task Slow_watcher_is_closed_without_blocking_writers()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { WatcherBufferSize = 5 });
        using var client = new RawClient(server);
        server.Faults.WatchesStalled = true;
        await using var watch = await WatchReader.OpenAsync(client.Http, $"{ConfigMaps}?watch=1&resourceVersion={server.CurrentResourceVersion}");
        for (var i = 0; i < 20; i++)
        {
            (await client.PostAsync(ConfigMaps, Objects.ConfigMap($"burst-{i}"))).Expect(HttpStatusCode.Created);
        }

        server.Faults.WatchesStalled = false;
        var received = 0;
        while (await watch.NextAsync() is not null)
        {
            received++;
        }

        Assert.Equal(5, received);
    }

    [Fact]
    public async Task Disposing_the_server_ends_open_watches_promptly()
    {
        var server = await ApiServerDouble.StartAsync();
        using var client = new RawClient(server);
        await using var watch = await WatchReader.OpenAsync(client.Http, $"{ConfigMaps}?watch=1&resourceVersion={server.CurrentResourceVersion}");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {stopwatch.Elapsed}");
        try
        {
            Assert.Null(await watch.NextAsync());
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // An aborted connection is an acceptable end too.
        }
    }

    [Fact]
    public async Task Store_watch_without_http_yields_copies()
    {
        var configMaps = Server.Store.Catalog.FindByKind("v1", "ConfigMap")!;
        using var subscription = Server.Store.Watch(configMaps, "default", Selectors.LabelSelector.Everything, Selectors.FieldSelector.Everything, Server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.CreateObject(Objects.ConfigMap("direct-watch"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in subscription.ReadEventsAsync(timeout.Token))
        {
            Assert.Equal("ADDED", e.Type);
            e.Object["data"] = new JsonObject { ["mutated"] = "locally" };
            break;
        }

        Assert.Equal("value", Server.GetObject("v1", "ConfigMap", "default", "direct-watch")!["data"]!["key"]!.GetValue<string>());
    }
}
