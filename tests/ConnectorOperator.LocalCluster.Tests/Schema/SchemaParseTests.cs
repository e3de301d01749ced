using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class SchemaParseTests
{
    [Fact]
    public void Parse_accepts_a_typical_structural_schema()
    {
        var schema = StructuralSchema.Parse(Json.Obj("""
            {"type": "object", "properties": {
              "spec": {"type": "object", "required": ["replicas"], "properties": {
                "replicas": {"type": "integer", "format": "int32", "minimum": 1, "default": 1},
                "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "users": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}},
                "raw": {"x-kubernetes-preserve-unknown-fields": true},
                "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}
              },
              "x-kubernetes-validations": [{"rule": "self.replicas < 10", "message": "too many", "fieldPath": ".replicas", "reason": "FieldValueForbidden"}]}
            }}
            """));

        Assert.NotNull(schema);
    }

    [Fact]
    public void Parse_rejects_a_property_without_type_naming_its_path()
    {
        var error = Assert.Throws<InvalidSchemaException>(() => StructuralSchema.Parse(Json.Obj("""
            {"type": "object", "properties": {"spec": {"type": "object", "properties": {"name": {"description": "no type"}}}}}
            """)));

        Assert.Equal("openAPIV3Schema.properties[spec].properties[name].type: Required value: must not be empty for specified object fields", error.Message);
    }

    [Fact]
    public void Parse_rejects_array_items_without_type()
    {
        var error = Assert.Throws<InvalidSchemaException>(() => StructuralSchema.Parse(Json.Obj("""
            {"type": "object", "properties": {"list": {"type": "array", "items": {}}}}
            """)));

        Assert.StartsWith("openAPIV3Schema.properties[list].items.type: Required value", error.Message);
    }

    [Fact]
    public void Parse_requires_object_at_the_root()
    {
        var error = Assert.Throws<InvalidSchemaException>(() => StructuralSchema.Parse(Json.Obj("""{"type": "string"}""")));

        Assert.Contains("must be object at the root", error.Message);
    }

    [Theory]
    [InlineData("""{"type": "array"}""", "items: Required value")]
    [InlineData("""{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}""", "mutual exclusive")]
    [InlineData("""{"type": "string", "x-kubernetes-int-or-string": true}""", "must be empty if x-kubernetes-int-or-string is true")]
    [InlineData("""{"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "map"}""", "x-kubernetes-list-map-keys: Required value")]
    [InlineData("""{"type": "array", "items": {"type": "object", "properties": {"k": {"type": "string"}}}, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"]}""", "must be required or have a default")]
    [InlineData("""{"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "bag"}""", "Unsupported value: \"bag\"")]
    [InlineData("""{"type": "string", "x-kubernetes-list-type": "set"}""", "must only be used on arrays")]
    [InlineData("""{"type": "array", "items": {"type": "string"}, "uniqueItems": true}""", "uniqueItems cannot be set to true")]
    [InlineData("""{"$ref": "#/definitions/x"}""", "$ref: Forbidden")]
    [InlineData("""{"type": "string", "anyOf": [{"minLength": 1}]}""", "anyOf: Forbidden")]
    [InlineData("""{"type": "string", "pattern": "("}""", "pattern: Invalid value")]
    [InlineData("""{"type": "string", "x-kubernetes-validations": [{"rule": "true", "reason": "Nope"}]}""", "reason: Unsupported value")]
    [InlineData("""{"type": "string", "x-kubernetes-validations": [{"rule": "true", "fieldPath": "x[0]"}]}""", "fieldPath: Invalid value")]
    [InlineData("""{"type": "object", "x-kubernetes-preserve-unknown-fields": false}""", "must be true or undefined")]
    [InlineData("""{"type": "string", "x-kubernetes-embedded-resource": true}""", "must be object if x-kubernetes-embedded-resource is true")]
    public void Parse_rejects_non_structural_or_unsupported_constructs(string field, string expected)
    {
        var error = Assert.Throws<InvalidSchemaException>(() =>
            StructuralSchema.Parse(Json.Obj("""{"type": "object", "properties": {"f": """ + field + "}}")));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("openAPIV3Schema.properties[f]", error.Message);
    }
}
