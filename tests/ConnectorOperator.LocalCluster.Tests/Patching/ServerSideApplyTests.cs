using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes.Patching;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Patching;

public sealed class ServerSideApplyTests
{
    private const string Kind = "AgentConnector";
    private const string ApiVersion = "connectoroperator.dev/v1alpha1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    private static JsonObject Config(string spec, string labels = """{"app":"x"}""") => Obj($$"""
        {"apiVersion":"{{ApiVersion}}","kind":"{{Kind}}",
         "metadata":{"name":"a","namespace":"ns","labels":{{labels}}},
         "spec":{{spec}}}
        """);

    private static JsonObject Apply(JsonObject? live, JsonObject config, string manager = "ctrl", bool force = false, string kind = Kind, DateTimeOffset? now = null) =>
        ServerSideApply.Apply(live, config, manager, force, kind, now ?? T0);

    private static JsonArray ManagedFields(JsonObject obj) => (JsonArray)obj["metadata"]!["managedFields"]!;

    private static JsonObject EntryOf(JsonObject obj, string manager) =>
        ManagedFields(obj).OfType<JsonObject>().Single(e => (string?)e["manager"] == manager);

    [Fact]
    public void Create_copies_the_configuration_and_records_an_apply_entry_in_fieldsv1_format()
    {
        var created = Apply(null, Config("""{"replicas":1,"users":["u1"]}"""));

        Assert.Equal(1, (int?)created["spec"]!["replicas"]);
        var entry = Assert.Single(ManagedFields(created));
        Equal("""
            {"manager":"ctrl","operation":"Apply","apiVersion":"connectoroperator.dev/v1alpha1","time":"2026-11-21T10:00:00Z","fieldsType":"FieldsV1",
             "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:users":{}}}}
            """, entry);
    }

    [Fact]
    public void Reapplying_with_a_changed_value_updates_it_and_the_timestamp()
    {
        var live = Apply(null, Config("""{"replicas":1}"""));

        var updated = Apply(live, Config("""{"replicas":3}"""), now: T1);

        Assert.Equal(3, (int?)updated["spec"]!["replicas"]);
        Assert.Equal("2026-11-21T10:05:00Z", (string?)EntryOf(updated, "ctrl")["time"]);
        Assert.Equal(1, (int?)live["spec"]!["replicas"]);
    }

    [Fact]
    public void A_field_the_manager_no_longer_applies_is_removed()
    {
        var live = Apply(null, Config("""{"replicas":1,"paused":true}""", """{"app":"x","tier":"web"}"""));

        var updated = Apply(live, Config("""{"replicas":1}"""));

        Equal("""{"replicas":1}""", updated["spec"]);
        Equal("""{"app":"x"}""", updated["metadata"]!["labels"]);
        Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", EntryOf(updated, "ctrl")["fieldsV1"]);
    }

    [Fact]
    public void A_dropped_field_that_another_manager_also_applied_is_kept()
    {
        var live = Apply(null, Config("""{"replicas":1,"paused":true}"""));
        live = Apply(live, Config("""{"paused":true}"""), manager: "other");

        var updated = Apply(live, Config("""{"replicas":1}"""));

        Assert.True((bool?)updated["spec"]!["paused"]);
        Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:paused":{}}}""", EntryOf(updated, "other")["fieldsV1"]);
    }

    [Fact]
    public void Changing_a_field_another_applier_owns_is_a_409_conflict()
    {
        var live = Apply(null, Config("""{"replicas":1}"""), manager: "other-manager");

        var error = Assert.Throws<PatchException>(() => Apply(live, Config("""{"replicas":2}""")));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"other-manager\": .spec.replicas", error.Message);
    }

    [Fact]
    public void Conflicts_with_an_updater_name_its_api_version()
    {
        var before = Apply(null, Config("""{"replicas":1}"""));
        var after = (JsonObject)before.DeepClone();
        after["spec"]!["replicas"] = 5;
        ServerSideApply.RecordUpdate(before, after, "kubectl-edit", ApiVersion, T1);

        var error = Assert.Throws<PatchException>(() => Apply(after, Config("""{"replicas":1}""")));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal($"Apply failed with 1 conflict: conflict with \"kubectl-edit\" using {ApiVersion}: .spec.replicas", error.Message);
    }

    [Fact]
    public void Applying_the_same_value_as_another_manager_shares_ownership_without_conflict()
    {
        var live = Apply(null, Config("""{"replicas":1}"""), manager: "other-manager");

        var updated = Apply(live, Config("""{"replicas":1}"""));

        Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", EntryOf(updated, "other-manager")["fieldsV1"]);
        Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", EntryOf(updated, "ctrl")["fieldsV1"]);
    }

    [Fact]
    public void Force_takes_ownership_of_the_conflicting_field()
    {
        var live = Apply(null, Config("""{"replicas":1,"paused":false}"""), manager: "other-manager");

        var updated = Apply(live, Config("""{"replicas":2}"""), force: true);

        Assert.Equal(2, (int?)updated["spec"]!["replicas"]);
        Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:paused":{}}}""", EntryOf(updated, "other-manager")["fieldsV1"]);
        Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", EntryOf(updated, "ctrl")["fieldsV1"]);
    }

    [Fact]
    public void Several_conflicts_are_listed_per_manager()
    {
        var live = Apply(null, Config("""{"replicas":1,"paused":false}"""), manager: "other-manager");

        var error = Assert.Throws<PatchException>(() => Apply(live, Config("""{"replicas":2,"paused":true}""")));

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"other-manager\":\n- .spec.paused\n- .spec.replicas", error.Message);
    }

    [Fact]
    public void An_object_created_without_managed_fields_is_owned_by_before_first_apply()
    {
        var live = Config("""{"replicas":1}""");

        var error = Assert.Throws<PatchException>(() => Apply(live, Config("""{"replicas":2}""")));

        Assert.Contains("conflict with \"before-first-apply\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_containers_merge_by_name_and_are_tracked_with_key_paths()
    {
        var pod = Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","finalizers":["f1"]},
             "spec":{"containers":[{"name":"main","image":"m:1"}]}}
            """);
        var live = Apply(null, pod, manager: "a", kind: "Pod");
        var sidecar = Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"side","image":"s:1"}]}}""");

        var updated = Apply(live, sidecar, manager: "b", kind: "Pod");

        Equal("""[{"name":"main","image":"m:1"},{"name":"side","image":"s:1"}]""", updated["spec"]!["containers"]);
        Equal("""{"f:metadata":{"f:finalizers":{"v:\"f1\"":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"main\"}":{".":{},"f:image":{},"f:name":{}}}}}""", EntryOf(updated, "a")["fieldsV1"]);
        Equal("""{"f:spec":{"f:containers":{"k:{\"name\":\"side\"}":{".":{},"f:image":{},"f:name":{}}}}}""", EntryOf(updated, "b")["fieldsV1"]);
    }

    [Fact]
    public void Dropping_a_container_from_the_configuration_removes_it()
    {
        var pod = Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"main","image":"m:1"},{"name":"side","image":"s:1"}]}}""");
        var live = Apply(null, pod, kind: "Pod");
        pod["spec"]!["containers"]!.AsArray().RemoveAt(1);

        var updated = Apply(live, pod, kind: "Pod");

        Equal("""[{"name":"main","image":"m:1"}]""", updated["spec"]!["containers"]);
    }

    [Fact]
    public void A_configuration_carrying_managed_fields_is_rejected_with_400()
    {
        var config = Config("""{"replicas":1}""");
        config["metadata"]!["managedFields"] = new JsonArray();

        Assert.Equal(400, Assert.Throws<PatchException>(() => Apply(null, config)).StatusCode);
        Assert.Equal(400, Assert.Throws<PatchException>(() => Apply(null, Config("{}"), manager: "")).StatusCode);
    }

    [Fact]
    public void Record_update_on_create_gives_the_manager_every_field()
    {
        var created = Config("""{"replicas":1}""");

        ServerSideApply.RecordUpdate(null, created, "kubectl-create", ApiVersion, T0);

        var entry = Assert.Single(ManagedFields(created));
        Equal("""
            {"manager":"kubectl-create","operation":"Update","apiVersion":"connectoroperator.dev/v1alpha1","time":"2026-11-21T10:00:00Z","fieldsType":"FieldsV1",
             "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{}}}}
            """, entry);
    }

    [Fact]
    public void Record_update_moves_changed_fields_and_forgets_removed_ones()
    {
        var before = Config("""{"replicas":1,"paused":true}""");
        ServerSideApply.RecordUpdate(null, before, "creator", ApiVersion, T0);
        var after = (JsonObject)before.DeepClone();
        after["spec"] = Obj("""{"replicas":2}""");

        ServerSideApply.RecordUpdate(before, after, "scaler", ApiVersion, T1);

        Equal("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}""", EntryOf(after, "creator")["fieldsV1"]);
        Equal("""{"f:spec":{"f:replicas":{}}}""", EntryOf(after, "scaler")["fieldsV1"]);
        Assert.Equal("2026-11-21T10:05:00Z", (string?)EntryOf(after, "scaler")["time"]);
    }

    [Fact]
    public void Record_update_without_changes_adds_no_entry()
    {
        var before = Config("""{"replicas":1}""");
        ServerSideApply.RecordUpdate(null, before, "creator", ApiVersion, T0);
        var after = (JsonObject)before.DeepClone();

        ServerSideApply.RecordUpdate(before, after, "noop", ApiVersion, T1);

        Assert.Single(ManagedFields(after));
    }

    [Fact]
    public void Status_writes_are_recorded_under_the_subresource_and_named_in_conflicts()
    {
        var before = Apply(null, Config("""{"replicas":1}"""));
        var after = (JsonObject)before.DeepClone();
        after["status"] = Obj("""{"readyReplicas":1}""");
        ServerSideApply.RecordUpdate(before, after, "connector-operator", ApiVersion, T1, subresource: "status");

        var entry = EntryOf(after, "connector-operator");
        Assert.Equal("status", (string?)entry["subresource"]);
        Equal("""{"f:status":{"f:readyReplicas":{}}}""", entry["fieldsV1"]);

        var config = Config("""{"replicas":1}""");
        config["status"] = Obj("""{"readyReplicas":0}""");
        var error = Assert.Throws<PatchException>(() => Apply(after, config));
        Assert.Equal($"Apply failed with 1 conflict: conflict with \"connector-operator\" with subresource \"status\" using {ApiVersion}: .status.readyReplicas", error.Message);
    }
}
