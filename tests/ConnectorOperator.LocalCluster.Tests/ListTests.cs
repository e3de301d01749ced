using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class ListTests : ApiServerTest
{
    protected override ApiServerOptions? Options => new ApiServerOptions { ListSnapshotCapacity = 2 };

    protected override async Task SeedAsync()
    {
        await Client.PostAsync("/api/v1/namespaces", Objects.Namespace("other"));
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("web-1", labels: new JsonObject { ["app"] = "web", ["tier"] = "front" }, nodeName: "node-a"));
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("web-2", labels: new JsonObject { ["app"] = "web" }, nodeName: "node-b"));
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("db-1", labels: new JsonObject { ["app"] = "db" }));
        await Client.PostAsync("/api/v1/namespaces/other/pods", Objects.Pod("web-3", "other", new JsonObject { ["app"] = "web" }));
    }

    private async Task<string[]> NamesAsync(string path)
    {
        var list = (await Client.GetAsync(path)).Expect(HttpStatusCode.OK).Json;
        return [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task List_has_kind_resource_version_and_typed_items()
    {
        var list = (await Client.GetAsync("/api/v1/namespaces/default/pods")).Json;
        Assert.Equal("PodList", list["kind"]!.GetValue<string>());
        Assert.Equal("v1", list["apiVersion"]!.GetValue<string>());
        Assert.Equal(Server.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture), list["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.All(list["items"]!.AsArray(), i => Assert.Equal("Pod", i!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task All_namespaces_list_spans_namespaces()
    {
        Assert.Equal(["db-1", "web-1", "web-2", "web-3"], await NamesAsync("/api/v1/pods"));
        Assert.Equal(["db-1", "web-1", "web-2"], await NamesAsync("/api/v1/namespaces/default/pods"));
    }

    [Theory]
    [InlineData("app=web", new[] { "web-1", "web-2" })]
    [InlineData("app==web", new[] { "web-1", "web-2" })]
    [InlineData("app!=web", new[] { "db-1" })]
    [InlineData("app in (web,db)", new[] { "db-1", "web-1", "web-2" })]
    [InlineData("app notin (web)", new[] { "db-1" })]
    [InlineData("tier", new[] { "web-1" })]
    [InlineData("!tier", new[] { "db-1", "web-2" })]
    [InlineData("app=web,tier=front", new[] { "web-1" })]
    public async Task Label_selectors_filter(string selector, string[] expected)
    {
        Assert.Equal(expected, await NamesAsync($"/api/v1/namespaces/default/pods?labelSelector={Uri.EscapeDataString(selector)}"));
    }

    [Theory]
    [InlineData("metadata.name=web-2", new[] { "web-2" })]
    [InlineData("metadata.name!=web-2", new[] { "db-1", "web-1" })]
    [InlineData("spec.nodeName=node-a", new[] { "web-1" })]
    [InlineData("spec.nodeName==", new[] { "db-1" })]
    [InlineData("status.phase=Pending,spec.nodeName!=node-a", new[] { "db-1", "web-2" })]
    public async Task Field_selectors_filter(string selector, string[] expected)
    {
        Assert.Equal(expected, await NamesAsync($"/api/v1/namespaces/default/pods?fieldSelector={Uri.EscapeDataString(selector)}"));
    }

    [Fact]
    public async Task Unsupported_field_selector_is_a_bad_request()
    {
        var reply = (await Client.GetAsync("/api/v1/namespaces/default/configmaps?fieldSelector=spec.nodeName%3Dx")).Expect(HttpStatusCode.BadRequest).Json;
        Assert.Equal("BadRequest", reply["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_label_selector_is_a_bad_request()
    {
        (await Client.GetAsync("/api/v1/namespaces/default/pods?labelSelector=app%20in%20web")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Pagination_walks_a_consistent_snapshot_despite_concurrent_writes()
    {
        var first = (await Client.GetAsync("/api/v1/pods?limit=2")).Json;
        var rv = first["metadata"]!["resourceVersion"]!.GetValue<string>();
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Equal(2, first["metadata"]!["remainingItemCount"]!.GetValue<long>());
        var token = first["metadata"]!["continue"]!.GetValue<string>();

        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("zz-new"));
        await Client.DeleteAsync("/api/v1/namespaces/other/pods/web-3");

        var second = (await Client.GetAsync($"/api/v1/pods?limit=2&continue={Uri.EscapeDataString(token)}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(rv, second["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Null(second["metadata"]!["continue"]);
        var names = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => i!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["db-1", "web-1", "web-2", "web-3"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Evicted_continue_token_is_expired()
    {
        var token = (await Client.GetAsync("/api/v1/pods?limit=1")).Json["metadata"]!["continue"]!.GetValue<string>();
        await Client.GetAsync("/api/v1/pods?limit=1");
        await Client.GetAsync("/api/v1/pods?limit=1");
        var reply = (await Client.GetAsync($"/api/v1/pods?limit=1&continue={Uri.EscapeDataString(token)}")).Expect(HttpStatusCode.Gone).Json;
        Assert.Equal("Expired", reply["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Garbage_continue_token_is_a_bad_request()
    {
        (await Client.GetAsync("/api/v1/pods?limit=1&continue=not-a-token")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Continue_token_only_continues_its_own_list()
    {
        var token = (await Client.GetAsync("/api/v1/pods?limit=1")).Json["metadata"]!["continue"]!.GetValue<string>();
        (await Client.GetAsync($"/api/v1/namespaces/default/pods?limit=1&continue={Uri.EscapeDataString(token)}")).Expect(HttpStatusCode.BadRequest);
        (await Client.GetAsync($"/api/v1/pods?limit=1&labelSelector=app%3Dweb&continue={Uri.EscapeDataString(token)}")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Resource_version_match_needs_a_resource_version()
    {
        (await Client.GetAsync("/api/v1/pods?resourceVersion=0&resourceVersionMatch=NotOlderThan")).Expect(HttpStatusCode.OK);
        (await Client.GetAsync("/api/v1/pods?resourceVersionMatch=Exact")).Expect(HttpStatusCode.UnprocessableEntity);
        (await Client.GetAsync("/api/v1/pods?resourceVersion=abc")).Expect(HttpStatusCode.BadRequest);
    }
}
