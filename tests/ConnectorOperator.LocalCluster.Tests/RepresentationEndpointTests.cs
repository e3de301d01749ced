using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>Table, PartialObjectMetadata and OpenAPI through HTTP; needs the representation seam.</summary>
public sealed class RepresentationEndpointTests : ApiServerTest
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private const string MetadataAccept = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json";

    protected override async Task SeedAsync()
    {
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("p1", labels: new JsonObject { ["app"] = "x" }));
    }

    [Fact]
    public async Task List_as_table_has_pod_columns_and_rows()
    {
        var table = (await Client.GetAsync("/api/v1/namespaces/default/pods", TableAccept)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("Name", table["columnDefinitions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("p1", table["rows"]![0]!["cells"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_as_partial_metadata_omits_spec()
    {
        var partial = (await Client.GetAsync("/api/v1/namespaces/default/pods/p1", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("PartialObjectMetadata", partial["kind"]!.GetValue<string>());
        Assert.Null(partial["spec"]);
        Assert.Equal("p1", partial["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_as_partial_metadata_list()
    {
        var list = (await Client.GetAsync("/api/v1/namespaces/default/pods", MetadataAccept)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("PartialObjectMetadataList", list["kind"]!.GetValue<string>());
        Assert.Null(list["items"]![0]!["spec"]);
    }

    [Fact]
    public async Task Watch_as_partial_metadata_streams_partial_objects()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, "/api/v1/namespaces/default/pods?watch=1", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
        var e = (await watch.NextAsync())!;
        Assert.Equal("PartialObjectMetadata", e["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_as_table_streams_one_row_tables()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, "/api/v1/namespaces/default/pods?watch=1", TableAccept);
        var e = (await watch.NextAsync())!;
        Assert.Equal("Table", e["object"]!["kind"]!.GetValue<string>());
        Assert.Single(e["object"]!["rows"]!.AsArray());
    }

    [Fact]
    public async Task Openapi_documents_are_served_as_json()
    {
        var v2 = (await Client.GetAsync("/openapi/v2", "application/json")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("2.0", v2["swagger"]!.GetValue<string>());
        var index = (await Client.GetAsync("/openapi/v3")).Expect(HttpStatusCode.OK).Json;
        var url = index["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var core = (await Client.GetAsync(url)).Expect(HttpStatusCode.OK).Json;
        Assert.NotNull(core["components"]);
    }
}
