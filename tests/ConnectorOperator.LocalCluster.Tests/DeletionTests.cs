using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class DeletionTests : ApiServerTest
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Delete_without_finalizers_removes_at_once()
    {
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("gone"));
        var reply = (await Client.DeleteAsync($"{ConfigMaps}/gone")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Success", reply["status"]!.GetValue<string>());
        (await Client.GetAsync($"{ConfigMaps}/gone")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Finalizers_hold_the_object_until_removed()
    {
        var cm = Objects.ConfigMap("fin");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/cleanup");
        await Client.PostAsync(ConfigMaps, cm);

        var marked = (await Client.DeleteAsync($"{ConfigMaps}/fin")).Expect(HttpStatusCode.OK).Json;
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, marked["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        var live = (await Client.GetAsync($"{ConfigMaps}/fin")).Expect(HttpStatusCode.OK).Json;

        live["metadata"]!["finalizers"] = new JsonArray("example.com/cleanup", "example.com/another");
        var refused = (await Client.PutAsync($"{ConfigMaps}/fin", live)).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Contains("no new finalizers can be added if the object is being deleted", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);

        live["metadata"]!["finalizers"] = new JsonArray();
        (await Client.PutAsync($"{ConfigMaps}/fin", live)).Expect(HttpStatusCode.OK);
        (await Client.GetAsync($"{ConfigMaps}/fin")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_preconditions_conflict_on_mismatch()
    {
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("pre"));
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["preconditions"] = new JsonObject { ["uid"] = Guid.NewGuid().ToString() } };
        (await Client.DeleteAsync($"{ConfigMaps}/pre", body)).Expect(HttpStatusCode.Conflict);
        body["preconditions"] = new JsonObject { ["resourceVersion"] = "1" };
        (await Client.DeleteAsync($"{ConfigMaps}/pre", body)).Expect(HttpStatusCode.Conflict);
        (await Client.GetAsync($"{ConfigMaps}/pre")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Background_deletion_collects_dependents()
    {
        var owner = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("owner"))).Json;
        await Client.PostAsync(ConfigMaps, Objects.WithOwner(Objects.ConfigMap("child"), Objects.OwnerReference(owner)));
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.WithOwner(Objects.Pod("child-pod"), Objects.OwnerReference(owner)));

        (await Client.DeleteAsync($"{ConfigMaps}/owner")).Expect(HttpStatusCode.OK);
        (await Client.GetAsync($"{ConfigMaps}/child")).Expect(HttpStatusCode.NotFound);
        (await Client.GetAsync("/api/v1/namespaces/default/pods/child-pod")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Dependents_with_a_surviving_owner_lose_only_the_dangling_reference()
    {
        var first = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("first"))).Json;
        var second = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("second"))).Json;
        var child = Objects.ConfigMap("shared");
        child["metadata"]!["ownerReferences"] = new JsonArray(Objects.OwnerReference(first), Objects.OwnerReference(second));
        await Client.PostAsync(ConfigMaps, child);

        await Client.DeleteAsync($"{ConfigMaps}/first");
        var survivor = (await Client.GetAsync($"{ConfigMaps}/shared")).Expect(HttpStatusCode.OK).Json;
        var refs = survivor["metadata"]!["ownerReferences"]!.AsArray();
        Assert.Single(refs);
        Assert.Equal("second", refs[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Orphan_deletion_strips_owner_references()
    {
        var owner = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("orphaner"))).Json;
        await Client.PostAsync(ConfigMaps, Objects.WithOwner(Objects.ConfigMap("orphan"), Objects.OwnerReference(owner)));

        (await Client.DeleteAsync($"{ConfigMaps}/orphaner?propagationPolicy=Orphan")).Expect(HttpStatusCode.OK);
        var orphan = (await Client.GetAsync($"{ConfigMaps}/orphan")).Expect(HttpStatusCode.OK).Json;
        Assert.Null(orphan["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_blocking_dependents()
    {
        var owner = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("fg"))).Json;
        var child = Objects.WithOwner(Objects.ConfigMap("fg-child"), Objects.OwnerReference(owner, blockOwnerDeletion: true));
        child["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await Client.PostAsync(ConfigMaps, child);

        var body = new JsonObject { ["propagationPolicy"] = "Foreground" };
        var marked = (await Client.DeleteAsync($"{ConfigMaps}/fg", body)).Expect(HttpStatusCode.OK).Json;
        Assert.Contains("foregroundDeletion", marked["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        var liveChild = (await Client.GetAsync($"{ConfigMaps}/fg-child")).Expect(HttpStatusCode.OK).Json;
        Assert.NotNull(liveChild["metadata"]!["deletionTimestamp"]);
        (await Client.GetAsync($"{ConfigMaps}/fg")).Expect(HttpStatusCode.OK);

        liveChild["metadata"]!["finalizers"] = new JsonArray();
        (await Client.PutAsync($"{ConfigMaps}/fg-child", liveChild)).Expect(HttpStatusCode.OK);
        (await Client.GetAsync($"{ConfigMaps}/fg-child")).Expect(HttpStatusCode.NotFound);
        (await Client.GetAsync($"{ConfigMaps}/fg")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Namespace_deletion_removes_its_objects()
    {
        await Client.PostAsync("/api/v1/namespaces", Objects.Namespace("doomed"));
        await Client.PostAsync("/api/v1/namespaces/doomed/configmaps", Objects.ConfigMap("inside", "doomed"));
        var held = Objects.ConfigMap("held", "doomed");
        held["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await Client.PostAsync("/api/v1/namespaces/doomed/configmaps", held);

        var ns = (await Client.DeleteAsync("/api/v1/namespaces/doomed")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Terminating", ns["status"]!["phase"]!.GetValue<string>());
        (await Client.GetAsync("/api/v1/namespaces/doomed/configmaps/inside")).Expect(HttpStatusCode.NotFound);
        var forbidden = (await Client.PostAsync("/api/v1/namespaces/doomed/configmaps", Objects.ConfigMap("late", "doomed"))).Expect(HttpStatusCode.Forbidden).Json;
        Assert.Contains("because it is being terminated", forbidden["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var remaining = (await Client.GetAsync("/api/v1/namespaces/doomed/configmaps/held")).Json;
        remaining["metadata"]!["finalizers"] = new JsonArray();
        await Client.PutAsync("/api/v1/namespaces/doomed/configmaps/held", remaining);
        (await Client.GetAsync("/api/v1/namespaces/doomed")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pods_are_removed_at_once_by_default()
    {
        await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("quick", nodeName: "node-1"));
        var reply = (await Client.DeleteAsync("/api/v1/namespaces/default/pods/quick")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Pod", reply["kind"]!.GetValue<string>());
        (await Client.GetAsync("/api/v1/namespaces/default/pods/quick")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Scheduled_pods_wait_for_the_kubelet_when_termination_is_not_immediate()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { PodsTerminateImmediately = false });
        using var client = new RawClient(server);
        await client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("unscheduled"));
        await client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("running", nodeName: "node-1"));

        (await client.DeleteAsync("/api/v1/namespaces/default/pods/unscheduled")).Expect(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/namespaces/default/pods/unscheduled")).Expect(HttpStatusCode.NotFound);

        var terminating = (await client.DeleteAsync("/api/v1/namespaces/default/pods/running")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(30, terminating["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        (await client.GetAsync("/api/v1/namespaces/default/pods/running")).Expect(HttpStatusCode.OK);

        (await client.DeleteAsync("/api/v1/namespaces/default/pods/running?gracePeriodSeconds=0")).Expect(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/namespaces/default/pods/running")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_collection_honours_the_label_selector()
    {
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("dc1", labels: new JsonObject { ["batch"] = "x" }));
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("dc2", labels: new JsonObject { ["batch"] = "y" }));
        (await Client.DeleteAsync($"{ConfigMaps}?labelSelector=batch%3Dx")).Expect(HttpStatusCode.OK);
        (await Client.GetAsync($"{ConfigMaps}/dc1")).Expect(HttpStatusCode.NotFound);
        (await Client.GetAsync($"{ConfigMaps}/dc2")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task System_namespaces_may_not_be_deleted()
    {
        var reply = (await Client.DeleteAsync("/api/v1/namespaces/default")).Expect(HttpStatusCode.Forbidden).Json;
        Assert.Equal("namespaces \"default\" is forbidden: this namespace may not be deleted", reply["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Direct_delete_reports_whether_the_object_is_gone()
    {
        var cm = Objects.ConfigMap("direct-fin");
        cm["metadata"]!["finalizers"] = new JsonArray("x/y");
        Server.CreateObject(cm);
        var held = Server.DeleteObject("v1", "ConfigMap", "default", "direct-fin");
        Assert.False(held.Removed);
        Assert.NotNull(held.Object["metadata"]!["deletionTimestamp"]);

        Server.CreateObject(Objects.ConfigMap("direct-plain"));
        Assert.True(Server.DeleteObject("v1", "ConfigMap", "default", "direct-plain").Removed);
        var missing = Assert.Throws<ConnectorOperator.LocalCluster.Primitives.ApiStatusException>(() => Server.DeleteObject("v1", "ConfigMap", "default", "direct-plain"));
        Assert.Equal(404, missing.Code);
    }
}
