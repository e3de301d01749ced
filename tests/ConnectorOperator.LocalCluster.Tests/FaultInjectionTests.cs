using System.Diagnostics;
using System.Net;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class FaultInjectionTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private ApiServerDouble _server = null!;
    private RawClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync();
        _client = new RawClient(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Fraction_of_requests_fail_with_500()
    {
        _server.Faults.Random = new Random(42);
        var rule = _server.Faults.FailRequests(0.5, 500);
        var failures = 0;
        for (var i = 0; i < 100; i++)
        {
            var reply = await _client.GetAsync(ConfigMaps);
            if (reply.Status == HttpStatusCode.InternalServerError)
            {
                failures++;
                Assert.Equal("InternalError", reply.Json["reason"]!.GetValue<string>());
            }
        }

        Assert.InRange(failures, 30, 70);
        Assert.Equal(failures, rule.Fired);
        _server.Faults.Remove(rule);
        (await _client.GetAsync(ConfigMaps)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Too_many_requests_carry_retry_after()
    {
        _server.Faults.FailNext(1, 429, method: "POST", pathContains: "/configmaps", retryAfterSeconds: 3);
        (await _client.GetAsync(ConfigMaps)).Expect(HttpStatusCode.OK);
        var reply = (await _client.PostAsync(ConfigMaps, Objects.ConfigMap("throttled"))).Expect(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(3), reply.Headers.RetryAfter!.Delta);
        Assert.Equal(3, reply.Json["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal("TooManyRequests", reply.Json["reason"]!.GetValue<string>());
        (await _client.PostAsync(ConfigMaps, Objects.ConfigMap("throttled"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Latency_delays_every_request()
    {
        _server.Faults.Latency = TimeSpan.FromMilliseconds(300);
        var watch = Stopwatch.StartNew();
        await _client.GetAsync(ConfigMaps);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"took {watch.Elapsed}");
        _server.Faults.Reset();
    }

    [Fact]
    public async Task Cut_aborts_open_watch_streams()
    {
        await using var watch = await WatchReader.OpenAsync(_client.Http, $"{ConfigMaps}?watch=1&resourceVersion={_server.CurrentResourceVersion}");
        await WaitUntilAsync(() => _server.Faults.OpenWatchCount == 1);
        _server.Faults.CutWatches();
        var ended = false;
        try
        {
            ended = await watch.NextAsync() is null;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            ended = true;
        }

        Assert.True(ended);
        await WaitUntilAsync(() => _server.Faults.OpenWatchCount == 0);
    }

    [Fact]
    public async Task Stalled_watches_send_nothing_until_released()
    {
        await using var watch = await WatchReader.OpenAsync(_client.Http, $"{ConfigMaps}?watch=1&allowWatchBookmarks=true&resourceVersion={_server.CurrentResourceVersion}");
        _server.Faults.WatchesStalled = true;
        await _client.PostAsync(ConfigMaps, Objects.ConfigMap("held-back"));
        await watch.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300));
        _server.Faults.WatchesStalled = false;
        var e = (await watch.NextAsync())!;
        Assert.Equal("held-back", e["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rules_can_target_only_watch_requests()
    {
        _server.Faults.FailNext(1, 503, pathContains: "watch=");
        (await _client.GetAsync(ConfigMaps)).Expect(HttpStatusCode.OK);
        var reply = (await _client.GetAsync($"{ConfigMaps}?watch=1")).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(reply.Headers.RetryAfter);
    }

    [Fact]
    public async Task End_closes_open_watch_streams_cleanly()
    {
        await using var watch = await WatchReader.OpenAsync(_client.Http, $"{ConfigMaps}?watch=1&resourceVersion={_server.CurrentResourceVersion}");
        await WaitUntilAsync(() => _server.Faults.OpenWatchCount == 1);
        _server.Faults.EndWatches();
        Assert.Null(await watch.NextAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
