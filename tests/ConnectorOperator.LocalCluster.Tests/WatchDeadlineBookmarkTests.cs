using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>kube-apiserver's bookmark before a watch's deadline, with the periodic bookmarks a minute apart.</summary>
public sealed class WatchDeadlineBookmarkTests : ApiServerTest
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    protected override ApiServerOptions? Options => new ApiServerOptions { BookmarkInterval = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task A_quiet_watch_gets_a_bookmark_about_two_seconds_before_its_timeout_then_ends()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&allowWatchBookmarks=true&timeoutSeconds=4&resourceVersion={Server.CurrentResourceVersion}");
        var started = DateTime.UtcNow;
        var bookmark = await watch.NextAsync(TimeSpan.FromSeconds(6));
        Assert.Equal("BOOKMARK", bookmark?["type"]?.GetValue<string>());
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3.5));
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task Without_bookmarks_allowed_a_timed_watch_stays_silent_until_it_ends()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{ConfigMaps}?watch=1&timeoutSeconds=3&resourceVersion={Server.CurrentResourceVersion}");
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(6)));
    }
}
