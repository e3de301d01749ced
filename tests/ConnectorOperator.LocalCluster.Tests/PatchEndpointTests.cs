using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>PATCH through HTTP; needs the patching seam.</summary>
public sealed class PatchEndpointTests : ApiServerTest
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Merge_patch_changes_fields_and_bumps_resource_version()
    {
        var created = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("m"))).Json;
        var reply = (await Client.PatchAsync($"{ConfigMaps}/m", new JsonObject { ["data"] = new JsonObject { ["extra"] = "1" } }, "application/merge-patch+json")).Expect(HttpStatusCode.OK);
        Assert.Equal("1", reply.Json["data"]!["extra"]!.GetValue<string>());
        Assert.Equal("value", reply.Json["data"]!["key"]!.GetValue<string>());
        Assert.NotEqual(created["metadata"]!["resourceVersion"]!.GetValue<string>(), reply.ResourceVersion);
    }

    [Fact]
    public async Task Patch_with_stale_resource_version_conflicts()
    {
        var created = (await Client.PostAsync(ConfigMaps, Objects.ConfigMap("stale"))).Json;
        await Client.PatchAsync($"{ConfigMaps}/stale", new JsonObject { ["data"] = new JsonObject { ["a"] = "1" } }, "application/merge-patch+json");
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = created["metadata"]!["resourceVersion"]!.GetValue<string>() },
            ["data"] = new JsonObject { ["b"] = "2" },
        };
        (await Client.PatchAsync($"{ConfigMaps}/stale", patch, "application/merge-patch+json")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Json_patch_with_failing_test_is_rejected()
    {
        var cm = Objects.ConfigMap("jp");
        cm["metadata"]!["finalizers"] = new JsonArray("a/b");
        await Client.PostAsync(ConfigMaps, cm);
        var ops = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/finalizers/0", ["value"] = "x/y" },
            new JsonObject { ["op"] = "remove", ["path"] = "/metadata/finalizers/0" });
        var failed = await Client.PatchAsync($"{ConfigMaps}/jp", ops, "application/json-patch+json");
        Assert.Equal(422, failed.Code);

        ops[0]!["value"] = "a/b";
        var ok = (await Client.PatchAsync($"{ConfigMaps}/jp", ops, "application/json-patch+json")).Expect(HttpStatusCode.OK).Json;
        Assert.Null(ok["metadata"]!["finalizers"]);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name_within_pod_immutability()
    {
        await Client.PostAsync(Pods, Objects.Pod("smp"));
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox:2" }),
            },
        };
        var reply = (await Client.PatchAsync($"{Pods}/smp", patch, "application/strategic-merge-patch+json")).Expect(HttpStatusCode.OK).Json;
        var container = Assert.Single(reply["spec"]!["containers"]!.AsArray())!;
        Assert.Equal(("main", "busybox:2"), (container["name"]!.GetValue<string>(), container["image"]!.GetValue<string>()));

        var sidecar = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "sidecar", ["image"] = "envoy" }) } };
        (await Client.PatchAsync($"{Pods}/smp", sidecar, "application/strategic-merge-patch+json")).Expect(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Status_patch_changes_only_status()
    {
        await Client.PostAsync(Pods, Objects.Pod("sp"));
        var patch = new JsonObject
        {
            ["status"] = new JsonObject { ["phase"] = "Running" },
            ["spec"] = new JsonObject { ["nodeName"] = "ignored" },
        };
        var reply = (await Client.PatchAsync($"{Pods}/sp/status", patch, "application/merge-patch+json")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Running", reply["status"]!["phase"]!.GetValue<string>());
        Assert.Null(reply["spec"]!["nodeName"]);

        var mainPatch = new JsonObject { ["status"] = new JsonObject { ["phase"] = "Failed" } };
        var main = (await Client.PatchAsync($"{Pods}/sp", mainPatch, "application/merge-patch+json")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Running", main["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Server_side_apply_creates_then_updates_with_managed_fields()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  owned: \"yes\"\n";
        var created = await SendApplyAsync($"{ConfigMaps}/ssa?fieldManager=tester", yaml);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var managers = created.Json["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>());
        Assert.Contains("tester", managers);

        var again = await SendApplyAsync($"{ConfigMaps}/ssa?fieldManager=tester", yaml);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(created.ResourceVersion, again.ResourceVersion);

        var conflict = await SendApplyAsync($"{ConfigMaps}/ssa?fieldManager=intruder", yaml.Replace("\"yes\"", "\"no\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        var forced = await SendApplyAsync($"{ConfigMaps}/ssa?fieldManager=intruder&force=true", yaml.Replace("\"yes\"", "\"no\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Equal("no", forced.Json["data"]!["owned"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_without_field_manager_is_a_bad_request()
    {
        var reply = await SendApplyAsync($"{ConfigMaps}/nofm", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nofm\n");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task Unknown_patch_type_is_unsupported_media_type()
    {
        await Client.PostAsync(ConfigMaps, Objects.ConfigMap("u"));
        (await Client.PatchAsync($"{ConfigMaps}/u", new JsonObject(), "application/json")).Expect(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Patch_adding_a_finalizer_to_a_deleting_object_is_invalid()
    {
        var cm = Objects.ConfigMap("dying");
        cm["metadata"]!["finalizers"] = new JsonArray("keep/me");
        await Client.PostAsync(ConfigMaps, cm);
        await Client.DeleteAsync($"{ConfigMaps}/dying");
        var ops = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers/-", ["value"] = "new/one" });
        (await Client.PatchAsync($"{ConfigMaps}/dying", ops, "application/json-patch+json")).Expect(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Ordinary_writes_record_their_field_manager()
    {
        var created = (await Client.PostAsync($"{ConfigMaps}?fieldManager=creator", Objects.ConfigMap("owned"))).Expect(HttpStatusCode.Created).Json;
        var entry = created["metadata"]!["managedFields"]![0]!;
        Assert.Equal(("creator", "Update"), (entry["manager"]!.GetValue<string>(), entry["operation"]!.GetValue<string>()));

        var patched = (await Client.PatchAsync($"{ConfigMaps}/owned", new JsonObject { ["data"] = new JsonObject { ["new"] = "1" } }, "application/merge-patch+json")).Expect(HttpStatusCode.OK).Json;
        var managers = patched["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>()).ToList();
        Assert.Contains("creator", managers);
        Assert.Equal(2, managers.Count);
    }

    private async Task<Reply> SendApplyAsync(string path, string yaml)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(yaml, Encoding.UTF8, "application/apply-patch+yaml") };
        using var response = await Client.Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, response.Content.Headers.ContentType?.MediaType);
    }
}
