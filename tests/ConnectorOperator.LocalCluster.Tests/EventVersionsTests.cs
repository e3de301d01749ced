using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>core/v1 and events.k8s.io/v1 Events are one stored Event served in two shapes.</summary>
public sealed class EventVersionsTests : ApiServerTest
{
    private const string CoreEvents = "/api/v1/namespaces/default/events";
    private const string GroupEvents = "/apis/events.k8s.io/v1/namespaces/default/events";

    private static JsonObject Reference(string name, string? fieldPath = null)
    {
        var reference = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["namespace"] = "default", ["name"] = name, ["uid"] = "uid-" + name };
        if (fieldPath is not null)
        {
            reference["fieldPath"] = fieldPath;
        }

        return reference;
    }

    private static JsonObject GroupEvent(string name, string about = "web-1") => new()
    {
        ["apiVersion"] = "events.k8s.io/v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["eventTime"] = "2026-11-21T10:00:00.000000Z",
        ["series"] = new JsonObject { ["count"] = 4, ["lastObservedTime"] = "2026-11-21T10:05:00.000000Z" },
        ["reportingController"] = "connectoroperator.dev/operator",
        ["reportingInstance"] = "operator-0",
        ["action"] = "Reconcile",
        ["reason"] = "Deployed",
        ["regarding"] = Reference(about, "spec.containers{main}"),
        ["related"] = Reference("helper"),
        ["note"] = "connector pod created",
        ["type"] = "Normal",
        ["deprecatedSource"] = new JsonObject { ["component"] = "operator", ["host"] = "node-a" },
        ["deprecatedFirstTimestamp"] = "2026-11-21T09:00:00Z",
        ["deprecatedLastTimestamp"] = "2026-11-21T09:30:00Z",
        ["deprecatedCount"] = 3,
    };

    private static JsonObject CoreEvent(string name, string about = "web-1", string? sourceComponent = "kubelet") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["involvedObject"] = Reference(about),
        ["reason"] = "BackOff",
        ["message"] = "restarting failed container",
        ["source"] = sourceComponent is null ? new JsonObject() : new JsonObject { ["component"] = sourceComponent },
        ["firstTimestamp"] = "2026-11-21T09:00:00Z",
        ["lastTimestamp"] = "2026-11-21T09:10:00Z",
        ["count"] = 7,
        ["type"] = "Warning",
        ["reportingComponent"] = "kubelet-reporter",
        ["reportingInstance"] = "node-a",
    };

    private static string Str(JsonNode? node) => node!.GetValue<string>();

    private async Task<string[]> NamesAsync(string path)
    {
        var list = (await Client.GetAsync(path)).Expect(HttpStatusCode.OK).Json;
        return [.. list["items"]!.AsArray().Select(i => Str(i!["metadata"]!["name"])).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Event_created_through_events_api_is_listed_through_core_v1_with_core_field_names()
    {
        var created = (await Client.PostAsync(GroupEvents, GroupEvent("deployed"))).Expect(HttpStatusCode.Created).Json;

        var list = (await Client.GetAsync(CoreEvents)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("EventList", Str(list["kind"]));
        Assert.Equal("v1", Str(list["apiVersion"]));
        var core = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.Equal("v1", Str(core["apiVersion"]));
        Assert.Equal("Event", Str(core["kind"]));
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            Assert.Equal(Str(created["metadata"]![field]), Str(core["metadata"]![field]));
        }

        Assert.True(JsonNode.DeepEquals(Reference("web-1", "spec.containers{main}"), core["involvedObject"]));
        Assert.True(JsonNode.DeepEquals(Reference("helper"), core["related"]));
        Assert.Equal("connector pod created", Str(core["message"]));
        Assert.Equal("connectoroperator.dev/operator", Str(core["reportingComponent"]));
        Assert.Equal("operator-0", Str(core["reportingInstance"]));
        Assert.Equal(("Reconcile", "Deployed", "Normal"), (Str(core["action"]), Str(core["reason"]), Str(core["type"])));
        Assert.Equal("2026-11-21T10:00:00.000000Z", Str(core["eventTime"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["count"] = 4, ["lastObservedTime"] = "2026-11-21T10:05:00.000000Z" }, core["series"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["component"] = "operator", ["host"] = "node-a" }, core["source"]));
        Assert.Equal(("2026-11-21T09:00:00Z", "2026-11-21T09:30:00Z"), (Str(core["firstTimestamp"]), Str(core["lastTimestamp"])));
        Assert.Equal(3, core["count"]!.GetValue<int>());
        foreach (var eventsOnly in new[] { "regarding", "note", "reportingController", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount" })
        {
            Assert.False(core.ContainsKey(eventsOnly), eventsOnly);
        }
    }

    [Fact]
    public async Task Event_created_through_core_v1_is_read_through_events_api_with_its_field_names()
    {
        var created = (await Client.PostAsync(CoreEvents, CoreEvent("backoff"))).Expect(HttpStatusCode.Created).Json;

        var events = (await Client.GetAsync($"{GroupEvents}/backoff")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("events.k8s.io/v1", Str(events["apiVersion"]));
        Assert.Equal(Str(created["metadata"]!["uid"]), Str(events["metadata"]!["uid"]));
        Assert.Equal(Str(created["metadata"]!["resourceVersion"]), Str(events["metadata"]!["resourceVersion"]));
        Assert.True(JsonNode.DeepEquals(Reference("web-1"), events["regarding"]));
        Assert.Equal("restarting failed container", Str(events["note"]));
        Assert.Equal("kubelet-reporter", Str(events["reportingController"]));
        Assert.Equal("node-a", Str(events["reportingInstance"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["component"] = "kubelet" }, events["deprecatedSource"]));
        Assert.Equal(("2026-11-21T09:00:00Z", "2026-11-21T09:10:00Z"), (Str(events["deprecatedFirstTimestamp"]), Str(events["deprecatedLastTimestamp"])));
        Assert.Equal(7, events["deprecatedCount"]!.GetValue<int>());
        Assert.Equal(("BackOff", "Warning"), (Str(events["reason"]), Str(events["type"])));
        foreach (var coreOnly in new[] { "involvedObject", "message", "reportingComponent", "source", "firstTimestamp", "lastTimestamp", "count" })
        {
            Assert.False(events.ContainsKey(coreOnly), coreOnly);
        }

        // Fields the core writer did not set are not invented for the other view.
        foreach (var unset in new[] { "eventTime", "series", "action", "related" })
        {
            Assert.False(events.ContainsKey(unset), unset);
        }
    }

    [Fact]
    public async Task Writes_through_either_version_change_the_one_event_with_one_resource_version_sequence()
    {
        var created = (await Client.PostAsync(GroupEvents, GroupEvent("shared"))).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsync(CoreEvents, CoreEvent("shared"))).Status);

        var core = (await Client.GetAsync($"{CoreEvents}/shared")).Json;
        core["message"] = "edited through core";
        var updated = (await Client.PutAsync($"{CoreEvents}/shared", core)).Expect(HttpStatusCode.OK).Json;
        Assert.True(long.Parse(Str(updated["metadata"]!["resourceVersion"]), System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(Str(created["metadata"]!["resourceVersion"]), System.Globalization.CultureInfo.InvariantCulture));

        // The events.k8s.io view's resourceVersion is now stale: it is the same object.
        created["note"] = "stale write";
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PutAsync($"{GroupEvents}/shared", created)).Status);

        var patched = (await Client.PatchAsync($"{GroupEvents}/shared", new JsonObject { ["note"] = "patched through events" }, "application/merge-patch+json"))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("patched through events", Str(patched["note"]));
        Assert.Null(patched["metadata"]!["generation"]);
        var reread = (await Client.GetAsync($"{CoreEvents}/shared")).Json;
        Assert.Equal("patched through events", Str(reread["message"]));
        Assert.Equal(Str(patched["metadata"]!["resourceVersion"]), Str(reread["metadata"]!["resourceVersion"]));
        Assert.Equal("edited through core", Str(updated["message"]));
    }

    [Fact]
    public async Task Managed_fields_name_the_version_each_writer_used()
    {
        await Client.PostAsync($"{GroupEvents}?fieldManager=operator", GroupEvent("managed"));
        await Client.PatchAsync($"{CoreEvents}/managed?fieldManager=admin", new JsonObject { ["message"] = "core edit" }, "application/merge-patch+json");

        var managed = (await Client.GetAsync($"{CoreEvents}/managed")).Json["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal("events.k8s.io/v1", Str(managed.Single(m => Str(m!["manager"]) == "operator")!["apiVersion"]));
        var admin = managed.Single(m => Str(m!["manager"]) == "admin")!;
        Assert.Equal("v1", Str(admin["apiVersion"]));
        Assert.NotNull(admin["fieldsV1"]!["f:message"]);
    }

    [Fact]
    public async Task Watch_through_one_version_sees_changes_written_through_the_other()
    {
        var rv = (await Client.GetAsync(GroupEvents)).Json["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var groupWatch = await WatchReader.OpenAsync(Client.Http, $"{GroupEvents}?watch=1&resourceVersion={rv}");
        await using var coreWatch = await WatchReader.OpenAsync(Client.Http, $"{CoreEvents}?watch=1&resourceVersion={rv}");

        var created = (await Client.PostAsync(CoreEvents, CoreEvent("watched"))).Expect(HttpStatusCode.Created).Json;
        var added = (await groupWatch.NextAsync())!;
        Assert.Equal("ADDED", Str(added["type"]));
        Assert.Equal("events.k8s.io/v1", Str(added["object"]!["apiVersion"]));
        Assert.Equal("restarting failed container", Str(added["object"]!["note"]));
        Assert.Equal(Str(created["metadata"]!["resourceVersion"]), Str(added["object"]!["metadata"]!["resourceVersion"]));
        Assert.Equal("ADDED", Str((await coreWatch.NextAsync())!["type"]));

        await Client.PatchAsync($"{GroupEvents}/watched", new JsonObject { ["note"] = "changed" }, "application/merge-patch+json");
        var modified = (await coreWatch.NextAsync())!;
        Assert.Equal(("MODIFIED", "v1", "changed"), (Str(modified["type"]), Str(modified["object"]!["apiVersion"]), Str(modified["object"]!["message"])));
        Assert.Equal("MODIFIED", Str((await groupWatch.NextAsync())!["type"]));

        await Client.DeleteAsync($"{GroupEvents}/watched");
        var deleted = (await coreWatch.NextAsync())!;
        Assert.Equal(("DELETED", "watched"), (Str(deleted["type"]), Str(deleted["object"]!["metadata"]!["name"])));
        Assert.Equal("DELETED", Str((await groupWatch.NextAsync())!["type"]));
    }

    [Fact]
    public async Task Core_field_selectors_find_events_written_through_the_events_api()
    {
        await Client.PostAsync(GroupEvents, GroupEvent("about-web-1"));
        await Client.PostAsync(GroupEvents, GroupEvent("about-web-2", about: "web-2"));
        await Client.PostAsync(CoreEvents, CoreEvent("core-about-web-1", sourceComponent: null));

        Assert.Equal(["about-web-1", "core-about-web-1"], await NamesAsync($"{CoreEvents}?fieldSelector=involvedObject.name%3Dweb-1"));
        Assert.Equal(["about-web-1"], await NamesAsync($"{CoreEvents}?fieldSelector=involvedObject.name%3Dweb-1,involvedObject.kind%3DPod,involvedObject.uid%3Duid-web-1,reason%3DDeployed"));
        Assert.Equal(["about-web-1", "about-web-2"], await NamesAsync($"{CoreEvents}?fieldSelector=reportingComponent%3Dconnectoroperator.dev/operator"));
        Assert.Equal(["about-web-2"], await NamesAsync($"{CoreEvents}?fieldSelector=involvedObject.fieldPath%3Dspec.containers%7Bmain%7D,involvedObject.name!%3Dweb-1"));

        // "source" is the source component, or the reporting component when there is none.
        Assert.Equal(["about-web-1", "about-web-2"], await NamesAsync($"{CoreEvents}?fieldSelector=source%3Doperator"));
        Assert.Equal(["core-about-web-1"], await NamesAsync($"{CoreEvents}?fieldSelector=source%3Dkubelet-reporter"));
    }

    [Fact]
    public async Task Events_api_field_selectors_use_its_own_names_and_find_core_written_events()
    {
        await Client.PostAsync(CoreEvents, CoreEvent("core-1"));
        await Client.PostAsync(CoreEvents, CoreEvent("core-2", about: "web-2"));
        await Client.PostAsync(GroupEvents, GroupEvent("grouped"));

        Assert.Equal(["core-1", "grouped"], await NamesAsync($"{GroupEvents}?fieldSelector=regarding.name%3Dweb-1"));
        Assert.Equal(["core-2"], await NamesAsync($"{GroupEvents}?fieldSelector=regarding.name%3Dweb-2,regarding.kind%3DPod,regarding.uid%3Duid-web-2,type%3DWarning"));
        Assert.Equal(["core-1", "core-2"], await NamesAsync($"{GroupEvents}?fieldSelector=reportingController%3Dkubelet-reporter"));
        Assert.Equal(["grouped"], await NamesAsync($"{GroupEvents}?fieldSelector=regarding.fieldPath%3Dspec.containers%7Bmain%7D"));
        Assert.Equal(["core-1"], await NamesAsync($"{GroupEvents}?fieldSelector=metadata.name%3Dcore-1"));

        var unsupported = await Client.GetAsync($"{GroupEvents}?fieldSelector=involvedObject.name%3Dweb-1");
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.Status);
        Assert.Contains("field label not supported: involvedObject.name", unsupported.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"{CoreEvents}?fieldSelector=regarding.name%3Dweb-1")).Status);
    }

    [Fact]
    public async Task Watch_with_a_field_selector_follows_events_written_through_the_other_version()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{GroupEvents}?watch=1&fieldSelector=regarding.name%3Dweb-2");
        await Client.PostAsync(CoreEvents, CoreEvent("elsewhere"));
        await Client.PostAsync(CoreEvents, CoreEvent("selected", about: "web-2"));

        var added = (await watch.NextAsync())!;
        Assert.Equal(("ADDED", "selected"), (Str(added["type"]), Str(added["object"]!["metadata"]!["name"])));
    }

    [Fact]
    public async Task Delete_through_either_version_removes_the_event_from_both()
    {
        await Client.PostAsync(GroupEvents, GroupEvent("via-core"));
        await Client.PostAsync(CoreEvents, CoreEvent("via-group"));

        (await Client.DeleteAsync($"{CoreEvents}/via-core")).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{GroupEvents}/via-core")).Status);
        (await Client.DeleteAsync($"{GroupEvents}/via-group")).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{CoreEvents}/via-group")).Status);

        Assert.Empty(await NamesAsync(CoreEvents));
        Assert.Empty(await NamesAsync(GroupEvents));
    }

    [Fact]
    public async Task Delete_collection_through_the_events_api_uses_its_field_selector()
    {
        await Client.PostAsync(CoreEvents, CoreEvent("drop", about: "web-2"));
        await Client.PostAsync(CoreEvents, CoreEvent("keep"));

        (await Client.DeleteAsync($"{GroupEvents}?fieldSelector=regarding.name%3Dweb-2")).Expect(HttpStatusCode.OK);
        Assert.Equal(["keep"], await NamesAsync(CoreEvents));
    }

    [Fact]
    public async Task Deleting_the_namespace_deletes_events_written_through_either_version()
    {
        await Client.PostAsync("/api/v1/namespaces", Objects.Namespace("team"));
        var grouped = GroupEvent("grouped");
        grouped["metadata"]!["namespace"] = "team";
        (await Client.PostAsync("/apis/events.k8s.io/v1/namespaces/team/events", grouped)).Expect(HttpStatusCode.Created);

        await Client.DeleteAsync("/api/v1/namespaces/team");
        Assert.Empty(await NamesAsync("/api/v1/events"));
        Assert.Empty(await NamesAsync("/apis/events.k8s.io/v1/events"));
    }

    [Fact]
    public async Task Body_of_the_other_group_is_refused_as_the_real_decoder_does()
    {
        var reply = await Client.PostAsync(CoreEvents, GroupEvent("mismatched"));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("the API version in the data (events.k8s.io/v1) does not match the expected API version (v1)", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_are_validated_through_both_versions()
    {
        var core = CoreEvent("Not_Valid");
        var grouped = GroupEvent("Not_Valid");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Client.PostAsync(CoreEvents, core)).Status);
        var reply = await Client.PostAsync(GroupEvents, grouped);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.StartsWith("Event.events.k8s.io \"Not_Valid\" is invalid", Str(reply.Json["message"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_through_core_v1_prints_events_written_through_the_events_api()
    {
        await Client.PostAsync(GroupEvents, GroupEvent("tabled"));
        var table = (await Client.GetAsync(CoreEvents, "application/json;as=Table;v=v1;g=meta.k8s.io")).Expect(HttpStatusCode.OK).Json;
        var columns = table["columnDefinitions"]!.AsArray().Select(c => Str(c!["name"])).ToList();
        var cells = Assert.Single(table["rows"]!.AsArray())!["cells"]!.AsArray();
        string Cell(string column) => cells[columns.IndexOf(column)]!.ToString();
        Assert.Equal("pod/web-1", Cell("Object"));
        Assert.Equal("spec.containers{main}", Cell("Subobject"));
        Assert.Equal("connector pod created", Cell("Message"));
        Assert.Equal("operator, node-a", Cell("Source"));
        Assert.Equal("4", Cell("Count"));
    }

    [Fact]
    public void Direct_store_access_sees_one_event_in_both_versions()
    {
        var created = Server.CreateObject(GroupEvent("direct"));
        var core = Server.GetObject("v1", "Event", "default", "direct")!;
        Assert.Equal(Str(created["metadata"]!["uid"]), Str(core["metadata"]!["uid"]));
        Assert.Equal("connector pod created", Str(core["message"]));
        Assert.Single(Server.ListObjects("events.k8s.io/v1", "Event", "default"));

        Server.ModifyObject("v1", "Event", "default", "direct", e =>
        {
            e["message"] = "modified directly";
            return e;
        });
        Assert.Equal("modified directly", Str(Server.GetObject("events.k8s.io/v1", "Event", "default", "direct")!["note"]));
        Assert.True(Server.DeleteObject("events.k8s.io/v1", "Event", "default", "direct").Removed);
        Assert.Null(Server.GetObject("v1", "Event", "default", "direct"));
    }
}
