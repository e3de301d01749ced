using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class DefaultingTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Obj("""
        {"type": "object", "properties": {
          "spec": {"type": "object", "default": {}, "properties": {
            "replicas": {"type": "integer", "default": 1},
            "mode": {"type": "string", "default": "Agent"},
            "nickname": {"type": "string", "nullable": true, "default": "bot"},
            "comment": {"type": "string"},
            "retry": {"type": "object", "default": {}, "properties": {
              "attempts": {"type": "integer", "default": 3},
              "backoff": {"type": "object", "default": {"initial": "1s"}, "properties": {
                "initial": {"type": "string"}, "max": {"type": "string", "default": "30s"}}}}},
            "users": {"type": "array", "items": {"type": "object", "properties": {
              "role": {"type": "string", "default": "Agent"}, "name": {"type": "string"}}}},
            "tags": {"type": "array", "items": {"type": "string", "default": "untagged"}},
            "settings": {"type": "object", "additionalProperties": {"type": "object", "properties": {
              "enabled": {"type": "boolean", "default": true}}}},
            "limits": {"type": "object", "additionalProperties": {"type": "integer", "default": 10}}
          }}}}
        """));

    [Fact]
    public void Missing_fields_get_defaults_and_defaulted_objects_get_their_nested_defaults()
    {
        var obj = Json.Obj("""{"apiVersion": "v1", "kind": "K"}""");

        Schema.ApplyDefaults(obj);

        Assert.Equal(
            """{"apiVersion":"v1","kind":"K","spec":{"replicas":1,"mode":"Agent","nickname":"bot","retry":{"attempts":3,"backoff":{"initial":"1s","max":"30s"}}}}""",
            Json.Text(obj));
    }

    [Fact]
    public void Present_values_are_kept()
    {
        var obj = Json.Obj("""{"spec": {"replicas": 5, "mode": "Manager", "retry": {"attempts": 0}}}""");

        Schema.ApplyDefaults(obj);

        Assert.Equal(5, obj["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Manager", obj["spec"]!["mode"]!.GetValue<string>());
        Assert.Equal(0, obj["spec"]!["retry"]!["attempts"]!.GetValue<int>());
        Assert.Equal("30s", obj["spec"]!["retry"]!["backoff"]!["max"]!.GetValue<string>());
    }

    [Fact]
    public void Array_items_get_defaults_inside_each_item()
    {
        var obj = Json.Obj("""{"spec": {"users": [{"name": "a"}, {"name": "b", "role": "Manager"}]}}""");

        Schema.ApplyDefaults(obj);

        Assert.Equal("""[{"name":"a","role":"Agent"},{"name":"b","role":"Manager"}]""", Json.Text(obj["spec"]!["users"]));
    }

    [Fact]
    public void Map_values_get_defaults_inside_each_value()
    {
        var obj = Json.Obj("""{"spec": {"settings": {"a": {}, "b": {"enabled": false}}}}""");

        Schema.ApplyDefaults(obj);

        Assert.Equal("""{"a":{"enabled":true},"b":{"enabled":false}}""", Json.Text(obj["spec"]!["settings"]));
    }

    [Fact]
    public void Null_in_a_non_nullable_field_is_replaced_by_its_default()
    {
        var obj = Json.Obj("""{"spec": {"replicas": null, "retry": null}}""");

        Schema.ApplyDefaults(obj);

        Assert.Equal(1, obj["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("""{"attempts":3,"backoff":{"initial":"1s","max":"30s"}}""", Json.Text(obj["spec"]!["retry"]));
    }

    [Fact]
    public void Null_in_a_non_nullable_field_without_default_is_pruned()
    {
        var obj = Json.Obj("""{"spec": {"comment": null}}""");

        Schema.ApplyDefaults(obj);

        Assert.False(obj["spec"]!.AsObject().ContainsKey("comment"));
    }

    [Fact]
    public void Null_in_a_nullable_field_is_kept_and_not_defaulted()
    {
        var obj = Json.Obj("""{"spec": {"nickname": null}}""");

        Schema.ApplyDefaults(obj);

        Assert.True(obj["spec"]!.AsObject().ContainsKey("nickname"));
        Assert.Null(obj["spec"]!["nickname"]);
    }

    [Fact]
    public void Null_array_items_and_map_values_are_defaulted()
    {
        var obj = Json.Obj("""{"spec": {"tags": ["x", null], "limits": {"cpu": null, "mem": 4}}}""");

        Schema.ApplyDefaults(obj);

        Assert.Equal("""["x","untagged"]""", Json.Text(obj["spec"]!["tags"]));
        Assert.Equal("""{"cpu":10,"mem":4}""", Json.Text(obj["spec"]!["limits"]));
    }

    [Fact]
    public void Defaults_are_copies_not_shared_nodes()
    {
        var first = Json.Obj("{}");
        var second = Json.Obj("{}");

        Schema.ApplyDefaults(first);
        Schema.ApplyDefaults(second);
        first["spec"]!["retry"]!["attempts"] = 9;

        Assert.Equal(3, second["spec"]!["retry"]!["attempts"]!.GetValue<int>());
    }
}
