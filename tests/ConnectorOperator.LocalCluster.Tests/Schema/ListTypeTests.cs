using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class ListTypeTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Obj("""
        {"type": "object", "properties": {
          "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
          "ports": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "integer"}},
          "atomic": {"type": "array", "x-kubernetes-list-type": "atomic", "items": {"type": "string"}},
          "users": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "site"],
            "items": {"type": "object", "required": ["name"], "properties": {
              "name": {"type": "string"}, "site": {"type": "string", "default": "main"}, "role": {"type": "string"}}}}
        }}
        """));

    [Fact]
    public void Set_duplicates_are_reported_once_at_the_first_repeat()
    {
        var errors = Schema.Validate(Json.Obj("""{"tags": ["a", "b", "a", "a", "b"], "ports": [80, 80]}"""), null, null);

        Assert.Equal(
            [
                new FieldError("tags[2]", FieldErrorType.Duplicate, "Duplicate value: \"a\""),
                new FieldError("tags[4]", FieldErrorType.Duplicate, "Duplicate value: \"b\""),
                new FieldError("ports[1]", FieldErrorType.Duplicate, "Duplicate value: 80"),
            ],
            errors);
    }

    [Fact]
    public void Map_list_duplicates_compare_all_keys_and_print_the_keys_as_json()
    {
        var errors = Schema.Validate(Json.Obj("""
            {"users": [{"name": "a", "site": "x", "role": "1"}, {"name": "a", "site": "y"}, {"name": "a", "site": "x", "role": "2"}]}
            """), null, null);

        Assert.Equal(
            [new FieldError("users[2]", FieldErrorType.Duplicate, "Duplicate value: {\"name\":\"a\",\"site\":\"x\"}")],
            errors);
    }

    [Fact]
    public void Atomic_lists_allow_repeats()
    {
        Assert.Empty(Schema.Validate(Json.Obj("""{"atomic": ["a", "a"]}"""), null, null));
    }
}
