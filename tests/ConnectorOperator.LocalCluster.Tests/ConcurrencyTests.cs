using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_writers_produce_one_ordered_event_stream()
    {
        await using var server = await ApiServerDouble.StartAsync();
        using var client = new RawClient(server);
        var start = server.CurrentResourceVersion;
        await using var watch = await WatchReader.OpenAsync(client.Http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={start}");

        const int Writers = 8;
        const int PerWriter = 20;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var created = (await client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap($"w{w}-{i}"))).Expect(HttpStatusCode.Created).Json;
                created["data"]!["key"] = "updated";
                (await client.PutAsync($"/api/v1/namespaces/default/configmaps/w{w}-{i}", created)).Expect(HttpStatusCode.OK);
            }
        })));

        var last = start;
        var seen = new Dictionary<string, int>();
        for (var n = 0; n < Writers * PerWriter * 2; n++)
        {
            var e = (await watch.NextAsync())!;
            var rv = long.Parse(e["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.True(rv > last, $"resourceVersion {rv} after {last}");
            last = rv;
            var name = e["object"]!["metadata"]!["name"]!.GetValue<string>();
            seen[name] = seen.GetValueOrDefault(name) + 1;
        }

        Assert.Equal(Writers * PerWriter, seen.Count);
        Assert.All(seen.Values, count => Assert.Equal(2, count));
        Assert.Equal(server.CurrentResourceVersion, last);
    }

    [Fact]
    public async Task Concurrent_updates_from_the_same_version_let_exactly_one_win()
    {
        await using var server = await ApiServerDouble.StartAsync();
        using var client = new RawClient(server);
        var created = (await client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("race"))).Json;
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            var copy = created.DeepClone().AsObject();
            copy["data"] = new JsonObject { ["winner"] = i.ToString(CultureInfo.InvariantCulture) };
            return await client.PutAsync("/api/v1/namespaces/default/configmaps/race", copy);
        })));
        Assert.Equal(1, replies.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(9, replies.Count(r => r.Status == HttpStatusCode.Conflict));
    }
}
