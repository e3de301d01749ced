using System.Diagnostics;
using System.Net;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class FaultInjectionTests : ApiServerTest
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Fraction_of_requests_fail_with_500()
    {
        Server.Faults.Random = new Random(42);
        var rule = Server.Faults.FailRequests(0.5, 500);
        var failures = 0;
        for (var i = 0; i < 100; i++)
        {
            var reply = await Client.GetAsync(ConfigMaps);
            if (reply.Status == HttpStatusCode.InternalServerError)
            {
                failures++;
                Assert.Equal("InternalError", reply.Json["reason"]!.GetValue<string>());
            }
        }

        Assert.InRange(failures, 30, 70);
        Assert.Equal(failures, rule.Fired);
        Server.Faults.Remove(rule);
        (await Client.GetAsync(ConfigMaps)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Too_many_requests_carry_retry_after()
    {
        Server.Faults.FailNext(1, 429, method: "POST", pathContains: "/configmaps", retryAfterSeconds: 3);
        (await Client.GetAsync(ConfigMaps)).Expect(HttpStatusCode.OK);
        var reply = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("throttled"))).Expect(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(3), reply.Headers.RetryAfter!.Delta);
        Assert.Equal(3, reply.Json["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal("TooManyRequests", reply.Json["reason"]!.GetValue<string>());
        (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("throttled"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Latency_delays_every_request()
    {
        Server.Faults.Latency = TimeSpan.FromMilliseconds(300);
        var watch = Stopwatch.StartNew();
        await Client.GetAsync(ConfigMaps);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"took {watch.Elapsed}");
        Server.Faults.Reset();
    }

    [Fact]
    public async Task Latency_jitter_spreads_request_delays_between_the_latency_and_the_jitter_on_top()
    {
        Server.Faults.Random = new Random(7);
        Server.Faults.Latency = TimeSpan.FromMilliseconds(50);
        Server.Faults.LatencyJitter = TimeSpan.FromMilliseconds(400);
        var took = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var watch = Stopwatch.StartNew();
            await Client.GetAsync(ConfigMaps);
            took.Add(watch.Elapsed);
        }

        Assert.All(took, t => Assert.True(t >= TimeSpan.FromMilliseconds(45), $"took {t}"));
        Assert.Equal(8, Server.Faults.DelayedRequests);
        Assert.True(took.Max() - took.Min() >= TimeSpan.FromMilliseconds(100), $"delays {string.Join(", ", took)} do not vary");
        Server.Faults.Reset();
        Assert.Equal(TimeSpan.Zero, Server.Faults.LatencyJitter);
    }

    [Fact]
    public async Task Cut_aborts_open_watch_streams()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion={Server.CurrentResourceVersion}");
        await WaitUntilAsync(() => Server.Faults.OpenWatchCount == 1);
        Assert.Equal(1, Server.Faults.CutWatches());
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
        await WaitUntilAsync(() => Server.Faults.OpenWatchCount == 0);
    }

    [Fact]
    public async Task Stalled_watches_send_nothing_until_released()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&allowWatchBookmarks=true&resourceVersion={Server.CurrentResourceVersion}");
        Server.Faults.WatchesStalled = true;
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("held-back"));
        await watch.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300));
        Server.Faults.WatchesStalled = false;
        var e = (await watch.NextAsync())!;
        Assert.Equal("held-back", e["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rules_can_target_only_watch_requests()
    {
        Server.Faults.FailNext(1, 503, pathContains: "watch=");
        (await Client.GetAsync(ConfigMaps)).Expect(HttpStatusCode.OK);
        var reply = (await Client.GetAsync($"{ConfigMaps}?watch=1")).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(reply.Headers.RetryAfter);
    }

    [Fact]
    public async Task End_closes_open_watch_streams_cleanly()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&resourceVersion={Server.CurrentResourceVersion}");
        await WaitUntilAsync(() => Server.Faults.OpenWatchCount == 1);
        Server.Faults.EndWatches();
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
