using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.LocalCluster.Tests.Schema;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>Custom resources end to end; needs the schema seam (defaulting, pruning, validation, CEL).</summary>
public sealed class CrdTests : ApiServerTest
{
    private const string Widgets = "/apis/test.connectoroperator.dev/v1/namespaces/default/widgets";

    protected override ApiServerOptions? Options => new ApiServerOptions { CelEvaluator = SharedCel.Evaluator };

    protected override async Task SeedAsync()
    {
        (await Client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixtures.Load("widgets-crd.yaml"))).Expect(HttpStatusCode.Created);
    }

    private static JsonObject Widget(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "test.connectoroperator.dev/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    [Fact]
    public async Task Crd_is_established_with_accepted_names()
    {
        var crd = (await Client.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.connectoroperator.dev")).Expect(HttpStatusCode.OK).Json;
        var conditions = crd["status"]!["conditions"]!.AsArray().ToDictionary(c => c!["type"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal("True", conditions["Established"]);
        Assert.Equal("True", conditions["NamesAccepted"]);
        Assert.Equal("WidgetList", crd["status"]!["acceptedNames"]!["listKind"]!.GetValue<string>());
        Assert.Equal("v1", crd["status"]!["storedVersions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Crd_resources_appear_in_discovery()
    {
        var groups = (await Client.GetAsync("/apis")).Json["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>());
        Assert.Contains("test.connectoroperator.dev", groups);
        var resources = (await Client.GetAsync("/apis/test.connectoroperator.dev/v1")).Expect(HttpStatusCode.OK).Json["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!.AsObject());
        Assert.Equal("Widget", resources["widgets"]["kind"]!.GetValue<string>());
        Assert.Equal("wd", resources["widgets"]["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("all", resources["widgets"]["categories"]![0]!.GetValue<string>());
        Assert.True(resources.ContainsKey("widgets/status"));
        Assert.Equal("Scale", resources["widgets/scale"]["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Custom_objects_are_defaulted_and_unknown_fields_pruned_with_a_warning()
    {
        var reply = (await Client.PostAsync(Widgets, Widget("w", new JsonObject { ["size"] = "small", ["colour"] = "red" }))).Expect(HttpStatusCode.Created);
        Assert.Equal(1, reply.Json["spec"]!["replicas"]!.GetValue<long>());
        Assert.Null(reply.Json["spec"]!["colour"]);
        Assert.Contains(reply.Headers.GetValues("Warning"), w => w.Contains("unknown field \\\"spec.colour\\\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strict_field_validation_rejects_unknown_fields()
    {
        var reply = (await Client.PostAsync($"{Widgets}?fieldValidation=Strict", Widget("strict", new JsonObject { ["size"] = "small", ["colour"] = "red" }))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("strict decoding error: unknown field \"spec.colour\"", reply.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_custom_object_is_422_with_field_causes()
    {
        var reply = (await Client.PostAsync(Widgets, Widget("bad", new JsonObject { ["accountId"] = "abc" }))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal("Invalid", reply["reason"]!.GetValue<string>());
        var message = reply["message"]!.GetValue<string>();
        Assert.StartsWith("Widget.test.connectoroperator.dev \"bad\" is invalid: [", message, StringComparison.Ordinal);
        Assert.Contains("spec.accountId: Invalid value: \"abc\"", message, StringComparison.Ordinal);
        var causes = reply["details"]!["causes"]!.AsArray().Select(c => (c!["reason"]!.GetValue<string>(), c!["field"]!.GetValue<string>())).ToList();
        Assert.Contains(("FieldValueRequired", "spec.size"), causes);
        Assert.Contains(("FieldValueInvalid", "spec.accountId"), causes);
        Assert.Equal("Widget", reply["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cel_rules_are_enforced()
    {
        var reply = (await Client.PostAsync(Widgets, Widget("cel", new JsonObject { ["size"] = "small", ["replicas"] = 11 }))).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Contains("replicas must be at most 10", reply["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_is_dropped_on_create_and_isolated_on_update()
    {
        var widget = Widget("st", new JsonObject { ["size"] = "small" });
        widget["status"] = new JsonObject { ["phase"] = "Ready" };
        var created = (await Client.PostAsync(Widgets, widget)).Expect(HttpStatusCode.Created).Json;
        Assert.Null(created["status"]);

        created["status"] = new JsonObject { ["phase"] = "Ready" };
        var statusWrite = (await Client.PutAsync($"{Widgets}/st/status", created)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Ready", statusWrite["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(1, statusWrite["metadata"]!["generation"]!.GetValue<long>());

        statusWrite["spec"]!["size"] = "large";
        statusWrite["status"]!["phase"] = "Ignored";
        var specWrite = (await Client.PutAsync($"{Widgets}/st", statusWrite)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Ready", specWrite["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(2, specWrite["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Scale_subresource_maps_replica_paths()
    {
        await Client.PostAsync(Widgets, Widget("sc", new JsonObject { ["size"] = "small", ["replicas"] = 2 }));
        Server.ModifyObject("test.connectoroperator.dev/v1", "Widget", "default", "sc", w =>
        {
            w["status"] = new JsonObject { ["replicas"] = 2, ["selector"] = "app=sc" };
            return w;
        }, statusOnly: true);

        var scale = (await Client.GetAsync($"{Widgets}/sc/scale")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("Scale", "autoscaling/v1"), (scale["kind"]!.GetValue<string>(), scale["apiVersion"]!.GetValue<string>()));
        Assert.Equal(2, scale["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("app=sc", scale["status"]!["selector"]!.GetValue<string>());

        scale["spec"]!["replicas"] = 4;
        (await Client.PutAsync($"{Widgets}/sc/scale", scale)).Expect(HttpStatusCode.OK);
        Assert.Equal(4, (await Client.GetAsync($"{Widgets}/sc")).Json["spec"]!["replicas"]!.GetValue<long>());

        (await Client.PutAsync($"{Widgets}/sc/scale", scale)).Expect(HttpStatusCode.Conflict);

        var patched = (await Client.PatchAsync($"{Widgets}/sc/scale", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 5 } }, "application/merge-patch+json")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(5, patched["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(5, (await Client.GetAsync($"{Widgets}/sc")).Json["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task Strategic_merge_patch_is_unsupported_for_custom_resources()
    {
        await Client.PostAsync(Widgets, Widget("smp", new JsonObject { ["size"] = "small" }));
        (await Client.PatchAsync($"{Widgets}/smp", new JsonObject { ["spec"] = new JsonObject { ["size"] = "large" } }, "application/strategic-merge-patch+json"))
            .Expect(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Deleting_the_crd_removes_its_objects_and_endpoints()
    {
        await Client.PostAsync(Widgets, Widget("doomed", new JsonObject { ["size"] = "small" }));
        (await Client.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.connectoroperator.dev")).Expect(HttpStatusCode.OK);
        (await Client.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.connectoroperator.dev")).Expect(HttpStatusCode.NotFound);
        (await Client.GetAsync(Widgets)).Expect(HttpStatusCode.NotFound);
        (await Client.GetAsync("/apis/test.connectoroperator.dev/v1")).Expect(HttpStatusCode.NotFound);

        (await Client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixtures.Load("widgets-crd.yaml"))).Expect(HttpStatusCode.Created);
        var list = (await Client.GetAsync(Widgets)).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Crd_with_a_non_structural_schema_is_invalid()
    {
        var crd = Fixtures.Load("widgets-crd.yaml");
        crd["metadata"]!["name"] = "gadgets.test.connectoroperator.dev";
        crd["spec"]!["names"] = new JsonObject { ["plural"] = "gadgets", ["kind"] = "Gadget" };
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"] = new JsonObject { ["properties"] = new JsonObject { ["spec"] = new JsonObject() } };
        var reply = (await Client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"gadgets.test.connectoroperator.dev\" is invalid", reply["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_sees_custom_objects()
    {
        await using var watch = await WatchReader.OpenAsync(Client.Http, $"{Widgets}?watch=1");
        await Client.PostAsync(Widgets, Widget("watched", new JsonObject { ["size"] = "large" }));
        var e = (await watch.NextAsync())!;
        Assert.Equal("ADDED", e["type"]!.GetValue<string>());
        Assert.Equal("Widget", e["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cluster_scoped_crd_with_two_versions_serves_one_store()
    {
        var crd = Fixtures.Load("widgets-crd.yaml");
        crd["metadata"]!["name"] = "gizmos.test.connectoroperator.dev";
        crd["spec"]!["scope"] = "Cluster";
        crd["spec"]!["names"] = new JsonObject { ["plural"] = "gizmos", ["singular"] = "gizmo", ["kind"] = "Gizmo" };
        var v1 = crd["spec"]!["versions"]![0]!.AsObject();
        var beta = v1.DeepClone().AsObject();
        beta["name"] = "v1beta1";
        beta["storage"] = false;
        crd["spec"]!["versions"]!.AsArray().Add(beta);
        (await Client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Expect(HttpStatusCode.Created);

        var gizmo = new JsonObject
        {
            ["apiVersion"] = "test.connectoroperator.dev/v1beta1",
            ["kind"] = "Gizmo",
            ["metadata"] = new JsonObject { ["name"] = "g1" },
            ["spec"] = new JsonObject { ["size"] = "large" },
        };
        (await Client.PostAsync("/apis/test.connectoroperator.dev/v1beta1/gizmos", gizmo)).Expect(HttpStatusCode.Created);
        var asV1 = (await Client.GetAsync("/apis/test.connectoroperator.dev/v1/gizmos/g1")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("test.connectoroperator.dev/v1", asV1["apiVersion"]!.GetValue<string>());
        Assert.Null(asV1["metadata"]!["namespace"]);
        var group = (await Client.GetAsync("/apis/test.connectoroperator.dev")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("test.connectoroperator.dev/v1", group["preferredVersion"]!["groupVersion"]!.GetValue<string>());
    }
}
