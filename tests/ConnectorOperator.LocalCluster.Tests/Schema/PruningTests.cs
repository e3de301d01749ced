using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class PruningTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Obj("""
        {"type": "object", "properties": {
          "spec": {"type": "object", "properties": {
            "name": {"type": "string"},
            "users": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "object", "properties": {"v": {"type": "string"}}}},
            "anything": {"type": "object", "additionalProperties": true},
            "raw": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {
              "known": {"type": "object", "properties": {"a": {"type": "string"}}}}},
            "free": {"x-kubernetes-preserve-unknown-fields": true},
            "template": {"type": "object", "x-kubernetes-embedded-resource": true, "properties": {
              "spec": {"type": "object", "properties": {"image": {"type": "string"}}}}}
          }},
          "status": {"type": "object", "properties": {"phase": {"type": "string"}}}
        }}
        """));

    [Fact]
    public void Unknown_fields_are_removed_recursively()
    {
        var obj = Json.Obj("""{"spec": {"name": "n", "extra": 1, "users": [{"name": "a", "age": 3}]}, "unknownTop": true, "status": {"phase": "Ready", "x": 1}}""");

        Schema.Prune(obj);

        Assert.Equal("""{"spec":{"name":"n","users":[{"name":"a"}]},"status":{"phase":"Ready"}}""", Json.Text(obj));
    }

    [Fact]
    public void ApiVersion_kind_and_metadata_at_the_root_are_kept_as_sent()
    {
        var obj = Json.Obj("""{"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "a", "labels": {"k": "v"}, "whatever": 1}, "spec": {}}""");

        Schema.Prune(obj);

        Assert.Equal("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a","labels":{"k":"v"},"whatever":1},"spec":{}}""", Json.Text(obj));
    }

    [Fact]
    public void AdditionalProperties_schema_prunes_inside_map_values_but_keeps_keys()
    {
        var obj = Json.Obj("""{"spec": {"labels": {"a": {"v": "1", "junk": 2}}, "anything": {"x": {"deep": [1]}}}}""");

        Schema.Prune(obj);

        Assert.Equal("""{"spec":{"labels":{"a":{"v":"1"}},"anything":{"x":{"deep":[1]}}}}""", Json.Text(obj));
    }

    [Fact]
    public void Preserve_unknown_fields_keeps_unknown_keys_and_still_prunes_declared_subtrees()
    {
        var obj = Json.Obj("""{"spec": {"raw": {"other": {"z": 1}, "known": {"a": "x", "b": "dropped"}}, "free": {"p": [1, {"q": 2}]}}}""");

        Schema.Prune(obj);

        Assert.Equal("""{"spec":{"raw":{"other":{"z":1},"known":{"a":"x"}},"free":{"p":[1,{"q":2}]}}}""", Json.Text(obj));
    }

    [Fact]
    public void Embedded_resources_keep_their_type_meta_and_metadata()
    {
        var obj = Json.Obj("""{"spec": {"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"image": "i", "junk": 1}, "junk": 2}}}""");

        Schema.Prune(obj);

        Assert.Equal("""{"spec":{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"image":"i"}}}}""", Json.Text(obj));
    }
}
