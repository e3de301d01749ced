using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class CrudTests : ApiServerTest
{
    [Fact]
    public async Task Create_sets_uid_timestamp_and_resource_version_but_no_generation_for_config_maps()
    {
        var reply = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("a"))).Expect(HttpStatusCode.Created);
        var meta = reply.Json["metadata"]!;
        Assert.True(Guid.TryParse(meta["uid"]!.GetValue<string>(), out _));
        Assert.EndsWith("Z", meta["creationTimestamp"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(meta["generation"]);
        Assert.Equal(Server.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture), reply.ResourceVersion);
        Assert.Equal("ConfigMap", reply.Json["kind"]!.GetValue<string>());

        var fetched = (await Client.GetAsync("/api/v1/namespaces/default/configmaps/a")).Expect(HttpStatusCode.OK);
        Assert.Equal("value", fetched.Json["data"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resource_versions_increase_across_kinds()
    {
        var first = long.Parse((await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("rv1"))).ResourceVersion!, CultureInfo.InvariantCulture);
        var second = long.Parse((await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("rv2"))).ResourceVersion!, CultureInfo.InvariantCulture);
        var third = long.Parse((await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("rv3"))).ResourceVersion!, CultureInfo.InvariantCulture);
        Assert.True(first < second && second < third);
    }

    [Fact]
    public async Task Generation_bumps_only_when_spec_changes()
    {
        var pod = (await Client.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("gen"))).Json;
        pod["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        var labelled = (await Client.PutAsync("/api/v1/namespaces/default/pods/gen", pod)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, labelled["metadata"]!["generation"]!.GetValue<long>());

        labelled["spec"]!["activeDeadlineSeconds"] = 30;
        var changed = (await Client.PutAsync("/api/v1/namespaces/default/pods/gen", labelled)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(2, changed["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Unchanged_write_keeps_resource_version()
    {
        var created = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("noop"))).Json;
        var before = Server.CurrentResourceVersion;
        var again = (await Client.PutAsync("/api/v1/namespaces/default/configmaps/noop", created)).Expect(HttpStatusCode.OK);
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), again.ResourceVersion);
        Assert.Equal(before, Server.CurrentResourceVersion);
    }

    [Fact]
    public async Task Update_with_stale_resource_version_is_a_conflict()
    {
        var created = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("stale"))).Json;
        var fresh = created.DeepClone().AsObject();
        fresh["data"]!["key"] = "v2";
        (await Client.PutAsync("/api/v1/namespaces/default/configmaps/stale", fresh)).Expect(HttpStatusCode.OK);

        created["data"]!["key"] = "v3";
        var conflict = (await Client.PutAsync("/api/v1/namespaces/default/configmaps/stale", created)).Expect(HttpStatusCode.Conflict).Json;
        Assert.Equal("Conflict", conflict["reason"]!.GetValue<string>());
        Assert.Equal(
            "Operation cannot be fulfilled on configmaps \"stale\": the object has been modified; please apply your changes to the latest version and try again",
            conflict["message"]!.GetValue<string>());
        Assert.Equal(409, conflict["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Update_without_resource_version_is_unconditional()
    {
        await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("uncond"));
        var replaced = (await Client.PutAsync("/api/v1/namespaces/default/configmaps/uncond", Objects.ConfigMap("uncond", data: new JsonObject { ["k"] = "2" }))).Expect(HttpStatusCode.OK);
        Assert.Equal("2", replaced.Json["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicate_create_is_already_exists()
    {
        await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("dup"));
        var reply = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("dup"))).Expect(HttpStatusCode.Conflict).Json;
        Assert.Equal("AlreadyExists", reply["reason"]!.GetValue<string>());
        Assert.Equal("configmaps \"dup\" already exists", reply["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_object_is_not_found_status()
    {
        var reply = (await Client.GetAsync("/api/v1/namespaces/default/configmaps/nope")).Expect(HttpStatusCode.NotFound).Json;
        Assert.Equal("Status", reply["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", reply["reason"]!.GetValue<string>());
        Assert.Equal("configmaps \"nope\" not found", reply["message"]!.GetValue<string>());
        Assert.Equal("nope", reply["details"]!["name"]!.GetValue<string>());
        Assert.Equal("configmaps", reply["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_in_missing_namespace_is_not_found()
    {
        var reply = (await Client.PostAsync("/api/v1/namespaces/ghost/configmaps", Objects.ConfigMap("x", "ghost"))).Expect(HttpStatusCode.NotFound).Json;
        Assert.Equal("namespaces \"ghost\" not found", reply["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_name_appends_a_random_suffix()
    {
        var cm = Objects.ConfigMap("ignored");
        cm["metadata"]!.AsObject().Remove("name");
        cm["metadata"]!["generateName"] = "gen-";
        var reply = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", cm)).Expect(HttpStatusCode.Created);
        var name = reply.Json["metadata"]!["name"]!.GetValue<string>();
        Assert.StartsWith("gen-", name, StringComparison.Ordinal);
        Assert.Equal(9, name.Length);
    }

    [Fact]
    public async Task Invalid_name_is_rejected_with_causes()
    {
        var reply = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("Bad_Name"))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal("Invalid", reply["reason"]!.GetValue<string>());
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", reply["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var cause = reply["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("metadata.name", cause["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pod_without_containers_is_invalid()
    {
        var pod = Objects.Pod("empty");
        pod["spec"]!["containers"] = new JsonArray();
        var reply = (await Client.PostAsync("/api/v1/namespaces/default/pods", pod)).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal("FieldValueRequired", reply["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("spec.containers", reply["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Secret_string_data_is_stored_as_base64_data()
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "s" },
            ["stringData"] = new JsonObject { ["token"] = "abc" },
        };
        var stored = (await Client.PostAsync("/api/v1/namespaces/default/secrets", secret)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal("YWJj", stored["data"]!["token"]!.GetValue<string>());
        Assert.Null(stored["stringData"]);
    }

    [Fact]
    public async Task Lease_micro_time_is_stored_as_given()
    {
        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = "leader" },
            ["spec"] = new JsonObject { ["holderIdentity"] = "me", ["leaseDurationSeconds"] = 15, ["renewTime"] = "2026-01-01T00:00:00.123456Z" },
        };
        (await Client.PostAsync("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", lease)).Expect(HttpStatusCode.Created);
        var fetched = (await Client.GetAsync("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/leader")).Json;
        Assert.Equal("2026-01-01T00:00:00.123456Z", fetched["spec"]!["renewTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dry_run_create_persists_nothing()
    {
        var before = Server.CurrentResourceVersion;
        (await Client.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", Objects.ConfigMap("dry"))).Expect(HttpStatusCode.Created);
        (await Client.GetAsync("/api/v1/namespaces/default/configmaps/dry")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(before, Server.CurrentResourceVersion);
    }

    [Fact]
    public async Task Direct_store_access_shares_state_with_http()
    {
        Server.CreateObject(Objects.ConfigMap("direct"));
        (await Client.GetAsync("/api/v1/namespaces/default/configmaps/direct")).Expect(HttpStatusCode.OK);
        var updated = Server.ModifyObject("v1", "ConfigMap", "default", "direct", cm =>
        {
            cm["data"]!["key"] = "changed";
            return cm;
        });
        Assert.Equal("changed", Server.GetObject("v1", "ConfigMap", "default", "direct")!["data"]!["key"]!.GetValue<string>());
        Assert.Equal(updated["metadata"]!["resourceVersion"]!.GetValue<string>(), (await Client.GetAsync("/api/v1/namespaces/default/configmaps/direct")).ResourceVersion);
        Assert.Contains(Server.ListObjects("v1", "Namespace"), n => n["metadata"]!["name"]!.GetValue<string>() == "kube-system");
    }

    [Fact]
    public async Task Ill_typed_metadata_is_a_bad_request()
    {
        var cm = Objects.ConfigMap("typed");
        cm["metadata"]!["labels"] = new JsonObject { ["n"] = 5 };
        (await Client.PostAsync("/api/v1/namespaces/default/configmaps", cm)).Expect(HttpStatusCode.BadRequest);
        cm = Objects.ConfigMap("typed");
        cm["metadata"]!["finalizers"] = "not-a-list";
        (await Client.PostAsync("/api/v1/namespaces/default/configmaps", cm)).Expect(HttpStatusCode.BadRequest);
        var deleteOptions = new JsonObject { ["gracePeriodSeconds"] = "soon" };
        await Client.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("typed"));
        (await Client.DeleteAsync("/api/v1/namespaces/default/configmaps/typed", deleteOptions)).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_with_a_resource_version_is_refused()
    {
        var cm = Objects.ConfigMap("with-rv");
        cm["metadata"]!["resourceVersion"] = "12";
        var reply = (await Client.PostAsync("/api/v1/namespaces/default/configmaps", cm)).Expect(HttpStatusCode.InternalServerError).Json;
        Assert.Equal("resourceVersion should not be set on objects to be created", reply["message"]!.GetValue<string>());
    }
}
