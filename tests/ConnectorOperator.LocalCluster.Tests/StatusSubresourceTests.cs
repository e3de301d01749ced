using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class StatusSubresourceTests : ApiServerTest
{
    [Fact]
    public async Task Main_resource_ignores_status_changes()
    {
        var pod = (await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("p"))).Json;
        Assert.Equal("Pending", pod["status"]!["phase"]!.GetValue<string>());
        pod["status"]!["phase"] = "Running";
        pod["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        var updated = (await Client.PutAsync("/api/v1/namespaces/default/pods/p", pod)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Pending", updated["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("b", updated["metadata"]!["labels"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_subresource_takes_only_status()
    {
        var pod = (await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("s"))).Json;
        pod["status"]!["phase"] = "Running";
        pod["spec"]!["activeDeadlineSeconds"] = 5;
        pod["metadata"]!["labels"] = new JsonObject { ["ignored"] = "yes" };
        var updated = (await Client.PutAsync("/api/v1/namespaces/default/pods/s/status", pod)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Running", updated["status"]!["phase"]!.GetValue<string>());
        Assert.Null(updated["spec"]!["activeDeadlineSeconds"]);
        Assert.Null(updated["metadata"]!["labels"]);
        Assert.Equal(1, updated["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Status_update_with_stale_resource_version_conflicts()
    {
        var pod = (await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("c"))).Json;
        var stale = pod.DeepClone().AsObject();
        pod["status"]!["phase"] = "Running";
        (await Client.PutAsync("/api/v1/namespaces/default/pods/c/status", pod)).Expect(HttpStatusCode.OK);
        stale["status"]!["phase"] = "Failed";
        (await Client.PutAsync("/api/v1/namespaces/default/pods/c/status", stale)).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Kinds_without_status_subresource_have_no_status_endpoint()
    {
        await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("cm"));
        (await Client.GetAsync("/api/v1/namespaces/default/configmaps/cm/status")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Direct_status_update_is_isolated_like_http()
    {
        var pod = Server.CreateObject(Objects.Pod("d"));
        pod["status"]!["phase"] = "Succeeded";
        pod["spec"]!["nodeName"] = "sneaky";
        var updated = Server.UpdateStatus(pod);
        Assert.Equal("Succeeded", updated["status"]!["phase"]!.GetValue<string>());
        Assert.Null(updated["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Pod_spec_is_immutable_except_images_and_deadlines()
    {
        var pod = (await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("immutable"))).Json;
        pod["spec"]!["nodeName"] = "node-1";
        var refused = (await Client.PutAsync("/api/v1/namespaces/default/pods/immutable", pod)).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Contains("pod updates may not change fields other than", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);

        pod["spec"]!.AsObject().Remove("nodeName");
        pod["spec"]!["containers"]![0]!["image"] = "busybox:2";
        (await Client.PutAsync("/api/v1/namespaces/default/pods/immutable", pod)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Binding_assigns_a_node_once()
    {
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("bind-me"));
        var binding = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = "bind-me" },
            ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = "node-7" },
        };
        (await Client.PostAsync("/api/v1/namespaces/default/pods/bind-me/binding", binding)).Expect(HttpStatusCode.Created);
        var pod = (await Client.GetAsync("/api/v1/namespaces/default/pods/bind-me")).Json;
        Assert.Equal("node-7", pod["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Equal("PodScheduled", pod["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
        (await Client.PostAsync("/api/v1/namespaces/default/pods/bind-me/binding", binding)).Expect(HttpStatusCode.Conflict);
    }
}
