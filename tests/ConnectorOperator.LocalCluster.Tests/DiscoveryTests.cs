using System.Net;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class DiscoveryTests : ApiServerTest
{
    [Fact]
    public async Task Version_reports_a_1_32_server()
    {
        var version = (await Client.GetAsync("/version")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("1", version["major"]!.GetValue<string>());
        Assert.StartsWith("v1.32", version["gitVersion"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Core_group_lists_v1()
    {
        var versions = (await Client.GetAsync("/api")).Json;
        Assert.Equal("APIVersions", versions["kind"]!.GetValue<string>());
        Assert.Equal("v1", versions["versions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Core_resources_describe_verbs_scope_and_subresources()
    {
        var list = (await Client.GetAsync("/api/v1")).Json;
        Assert.Equal("APIResourceList", list["kind"]!.GetValue<string>());
        var resources = list["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!.AsObject());
        Assert.True(resources["pods"]["namespaced"]!.GetValue<bool>());
        Assert.False(resources["namespaces"]["namespaced"]!.GetValue<bool>());
        Assert.False(resources["nodes"]["namespaced"]!.GetValue<bool>());
        Assert.Equal("Pod", resources["pods"]["kind"]!.GetValue<string>());
        Assert.Contains("po", resources["pods"]["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("watch", resources["pods"]["verbs"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(resources.ContainsKey("pods/status"));
        Assert.False(resources.ContainsKey("configmaps/status"));
        foreach (var name in new[] { "secrets", "configmaps", "events", "services", "serviceaccounts" })
        {
            Assert.True(resources.ContainsKey(name), name);
        }
    }

    [Fact]
    public async Task Aggregated_discovery_request_gets_plain_group_list()
    {
        var reply = (await Client.GetAsync("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")).Expect(HttpStatusCode.OK);
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal("APIGroupList", reply.Json["kind"]!.GetValue<string>());
        var groups = reply.Json["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("events.k8s.io", groups);
        Assert.Contains("coordination.k8s.io", groups);
        Assert.Contains("policy", groups);
        Assert.Contains("apiextensions.k8s.io", groups);
    }

    [Fact]
    public async Task Group_version_lists_its_resources()
    {
        var list = (await Client.GetAsync("/apis/coordination.k8s.io/v1")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("coordination.k8s.io/v1", list["groupVersion"]!.GetValue<string>());
        Assert.Equal("leases", list["resources"]![0]!["name"]!.GetValue<string>());
        var group = (await Client.GetAsync("/apis/policy")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("policy/v1", group["preferredVersion"]!["groupVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_paths_are_not_found_status()
    {
        var reply = (await Client.GetAsync("/apis/nope.example.com/v1/things")).Expect(HttpStatusCode.NotFound).Json;
        Assert.Equal("Status", reply["kind"]!.GetValue<string>());
        (await Client.GetAsync("/apis/nope.example.com")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Initial_namespaces_exist()
    {
        (await Client.GetAsync("/api/v1/namespaces/default")).Expect(HttpStatusCode.OK);
        var system = (await Client.GetAsync("/api/v1/namespaces/kube-system")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Active", system["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Protobuf_only_accept_is_not_acceptable()
    {
        (await Client.GetAsync("/api/v1/namespaces/default/pods", "application/vnd.kubernetes.protobuf")).Expect(HttpStatusCode.NotAcceptable);
        (await Client.GetAsync("/api/v1/namespaces/default/pods", "application/vnd.kubernetes.protobuf, application/json")).Expect(HttpStatusCode.OK);
        (await Client.GetAsync("/openapi/v2", "application/vnd.kubernetes.protobuf")).Expect(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task Protobuf_openapi_v2_is_a_gnostic_document_with_only_the_swagger_version()
    {
        var reply = (await Client.GetAsync("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")).Expect(HttpStatusCode.OK);

        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", reply.MediaType);
        Assert.Equal("\n\u00032.0", reply.Text); // field 1 (swagger), length 3, "2.0"
    }
}
