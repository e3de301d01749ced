using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes.Patching;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"p","labels":{"app":"a","tier":"web"},"finalizers":["x"]},
         "spec":{
           "containers":[
             {"name":"main","image":"main:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80}]},
             {"name":"sidecar","image":"side:1"}],
           "tolerations":[{"key":"k1","operator":"Exists"}],
           "volumes":[{"name":"v1","emptyDir":{}}]}}
        """;

    private static System.Text.Json.Nodes.JsonNode Patch(string target, string patch, string kind = "Pod") =>
        StrategicMergePatch.Apply(Parse(target)!, Parse(patch)!, kind);

    [Fact]
    public void Containers_merge_by_name_and_env_merges_by_name()
    {
        var result = Patch(Pod, """{"spec":{"containers":[{"name":"main","image":"main:2","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}]}]}}""");

        Equal("""
            [{"name":"main","image":"main:2","env":[{"name":"A","value":"1"},{"name":"B","value":"20"},{"name":"C","value":"3"}],"ports":[{"containerPort":80}]},
             {"name":"sidecar","image":"side:1"}]
            """, result["spec"]!["containers"]);
    }

    [Fact]
    public void A_new_container_is_appended_and_ports_merge_by_container_port()
    {
        var result = Patch(Pod, """{"spec":{"containers":[{"name":"main","ports":[{"containerPort":8080,"name":"alt"}]},{"name":"extra","image":"e:1"}]}}""");

        Equal("""[{"containerPort":80},{"containerPort":8080,"name":"alt"}]""", result["spec"]!["containers"]![0]!["ports"]);
        Equal("""{"name":"extra","image":"e:1"}""", result["spec"]!["containers"]![2]);
    }

    [Fact]
    public void Patch_delete_directive_removes_a_container()
    {
        var result = Patch(Pod, """{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}""");

        Equal("""[{"name":"main","image":"main:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80}]}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Set_element_order_is_honoured_and_stripped()
    {
        var result = Patch(Pod, """
            {"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"main"}],
                     "containers":[{"name":"sidecar","image":"side:2"}]}}
            """);

        Assert.Equal("sidecar", (string?)result["spec"]!["containers"]![0]!["name"]);
        Assert.Equal("side:2", (string?)result["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("main", (string?)result["spec"]!["containers"]![1]!["name"]);
        Assert.DoesNotContain("$setElementOrder", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Finalizers_merge_as_a_set_and_delete_from_primitive_list_removes()
    {
        var added = Patch(Pod, """{"metadata":{"finalizers":["x","y"]}}""");
        Equal("""["x","y"]""", added["metadata"]!["finalizers"]);

        var removed = Patch(added.ToJsonString(), """{"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}}""");
        Equal("""["y"]""", removed["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Null_deletes_a_label_and_maps_merge()
    {
        var result = Patch(Pod, """{"metadata":{"labels":{"tier":null,"new":"n"}}}""");

        Equal("""{"app":"a","new":"n"}""", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Tolerations_have_no_merge_key_and_are_replaced()
    {
        var result = Patch(Pod, """{"spec":{"tolerations":[{"key":"k2","operator":"Exists"}]}}""");

        Equal("""[{"key":"k2","operator":"Exists"}]""", result["spec"]!["tolerations"]);
    }

    [Fact]
    public void Patch_replace_directive_replaces_a_map_and_a_list()
    {
        var map = Patch(Pod, """{"metadata":{"labels":{"$patch":"replace","only":"one"}}}""");
        Equal("""{"only":"one"}""", map["metadata"]!["labels"]);

        var list = Patch(Pod, """{"spec":{"volumes":[{"$patch":"replace"},{"name":"v2","emptyDir":{}}]}}""");
        Equal("""[{"name":"v2","emptyDir":{}}]""", list["spec"]!["volumes"]);
    }

    [Fact]
    public void Retain_keys_drops_unlisted_fields()
    {
        var target = """{"kind":"Deployment","spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""";

        var result = Patch(target, """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""", "Deployment");

        Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Pod_status_conditions_merge_by_type()
    {
        var target = """{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}""";

        var result = Patch(target, """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");

        Equal("""[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]""", result["status"]!["conditions"]);
    }

    [Fact]
    public void Deployment_pod_template_containers_merge_by_name()
    {
        var target = """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}}}}""";

        var result = Patch(target, """{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"2"}]}}}}""", "Deployment");

        Equal("""[{"name":"a","image":"1"},{"name":"b","image":"2"}]""", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Directives_inside_new_items_are_stripped()
    {
        var result = Patch(Pod, """{"spec":{"containers":[{"name":"new","$patch":"merge","env":[{"name":"X","value":"1"}]}]}}""");

        Assert.DoesNotContain("$patch", result.ToJsonString(), StringComparison.Ordinal);
        Equal("""{"name":"new","env":[{"name":"X","value":"1"}]}""", result["spec"]!["containers"]![2]);
    }

    [Fact]
    public void The_patch_kubectl_apply_sends_when_a_container_is_dropped_applies_cleanly()
    {
        // Captured from kubectl 1.32 `apply` after removing the "sidecar" container from the manifest.
        var patch = """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
             "spec":{"$setElementOrder/containers":[{"name":"main"}],
                     "containers":[{"image":"main:2","name":"main"},{"$patch":"delete","name":"sidecar"}]}}
            """;

        var result = Patch(Pod, patch);

        Equal("""[{"name":"main","image":"main:2","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80}]}]""", result["spec"]!["containers"]);
        Equal("""{"kubectl.kubernetes.io/last-applied-configuration":"{}"}""", result["metadata"]!["annotations"]);
        Assert.DoesNotContain("$", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Target_is_not_mutated()
    {
        var target = Obj(Pod);

        StrategicMergePatch.Apply(target, Parse("""{"metadata":{"labels":{"app":null}}}""")!, "Pod");

        Equal(Pod, target);
    }

    [Fact]
    public void A_patch_that_is_not_an_object_is_rejected_with_400()
    {
        var error = Assert.Throws<PatchException>(() => Patch(Pod, "[1]"));
        Assert.Equal(400, error.StatusCode);
    }
}
