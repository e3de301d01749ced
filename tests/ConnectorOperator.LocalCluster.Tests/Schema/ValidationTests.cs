using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class ValidationTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Obj("""
        {"type": "object", "properties": {
          "spec": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "enum": ["Agent", "Manager"]},
            "replicas": {"type": "integer", "minimum": 1, "maximum": 5},
            "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": true},
            "step": {"type": "integer", "multipleOf": 5},
            "code": {"type": "string", "pattern": "^[0-9]+$", "minLength": 2, "maxLength": 4},
            "since": {"type": "string", "format": "date-time"},
            "blob": {"type": "string", "format": "byte"},
            "size": {"type": "string", "format": "int64"},
            "port": {"x-kubernetes-int-or-string": true},
            "note": {"type": "string", "nullable": true},
            "enabled": {"type": "boolean"},
            "level": {"type": "integer", "enum": [1, 2]},
            "agentUsers": {"type": "array", "minItems": 1, "maxItems": 2, "items": {
              "type": "object", "required": ["loginName"], "properties": {"loginName": {"type": "string", "minLength": 1}}}},
            "customConfiguration": {"type": "object", "minProperties": 1, "maxProperties": 2,
              "additionalProperties": {"type": "string", "pattern": "^[0-9]+$"}},
            "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}
          }}}}
        """));

    private static IReadOnlyList<FieldError> ValidateSpec(string spec) =>
        Schema.Validate(Json.Obj($$"""{"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "a"}, "spec": {{spec}}}"""), null, null);

    private static FieldError Single(string spec) => Assert.Single(ValidateSpec(spec));

    [Fact]
    public void A_valid_object_has_no_errors()
    {
        var errors = ValidateSpec("""
            {"type": "Agent", "replicas": 3, "ratio": 0.5, "step": 10, "code": "123", "since": "2024-01-02T03:04:05Z",
             "blob": "aGVsbG8=", "size": "12", "port": "http", "note": null, "enabled": true, "level": 2,
             "agentUsers": [{"loginName": "bot"}], "customConfiguration": {"messageDelay": "100"},
             "template": {"apiVersion": "v1", "kind": "Pod", "spec": {}}}
            """);

        Assert.Empty(errors);
    }

    [Fact]
    public void Missing_required_field_is_reported_at_its_path()
    {
        Assert.Equal(new FieldError("spec.type", FieldErrorType.Required, "Required value"), Single("{}"));
    }

    [Fact]
    public void Enum_mismatch_lists_supported_values()
    {
        Assert.Equal(
            new FieldError("spec.type", FieldErrorType.NotSupported, "Unsupported value: \"Foo\": supported values: \"Agent\", \"Manager\""),
            Single("""{"type": "Foo"}"""));
    }

    [Fact]
    public void Numeric_enum_mismatch_prints_values_like_the_apiserver()
    {
        Assert.Equal(
            new FieldError("spec.level", FieldErrorType.NotSupported, "Unsupported value: 3: supported values: \"1\", \"2\""),
            Single("""{"type": "Agent", "level": 3}"""));
    }

    [Fact]
    public void Wrong_type_is_TypeInvalid_with_the_actual_type()
    {
        Assert.Equal(
            new FieldError("spec.replicas", FieldErrorType.TypeInvalid, "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
            Single("""{"type": "Agent", "replicas": "string"}"""));
    }

    [Fact]
    public void A_fraction_is_not_an_integer()
    {
        Assert.Equal(
            new FieldError("spec.replicas", FieldErrorType.TypeInvalid, "Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\""),
            Single("""{"type": "Agent", "replicas": 1.5}"""));
    }

    [Fact]
    public void Null_in_a_non_nullable_field_is_a_type_error_and_allowed_when_nullable()
    {
        Assert.Equal(
            new FieldError("spec.enabled", FieldErrorType.TypeInvalid, "Invalid value: \"null\": spec.enabled in body must be of type boolean: \"null\""),
            Single("""{"type": "Agent", "enabled": null, "note": null}"""));
    }

    [Theory]
    [InlineData("0", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
    [InlineData("6", "Invalid value: 6: spec.replicas in body should be less than or equal to 5")]
    public void Inclusive_bounds(string replicas, string message)
    {
        Assert.Equal(new FieldError("spec.replicas", FieldErrorType.Invalid, message), Single($$"""{"type": "Agent", "replicas": {{replicas}}}"""));
    }

    [Theory]
    [InlineData("0", "Invalid value: 0: spec.ratio in body should be greater than 0")]
    [InlineData("1", "Invalid value: 1: spec.ratio in body should be less than 1")]
    public void Exclusive_bounds(string ratio, string message)
    {
        Assert.Equal(new FieldError("spec.ratio", FieldErrorType.Invalid, message), Single($$"""{"type": "Agent", "ratio": {{ratio}}}"""));
    }

    [Fact]
    public void MultipleOf_is_checked()
    {
        Assert.Equal(
            new FieldError("spec.step", FieldErrorType.Invalid, "Invalid value: 7: spec.step in body should be a multiple of 5"),
            Single("""{"type": "Agent", "step": 7}"""));
    }

    [Fact]
    public void Pattern_mismatch_quotes_the_pattern()
    {
        Assert.Equal(
            new FieldError("spec.code", FieldErrorType.Invalid, "Invalid value: \"12a\": spec.code in body should match '^[0-9]+$'"),
            Single("""{"type": "Agent", "code": "12a"}"""));
    }

    [Fact]
    public void String_length_limits()
    {
        Assert.Equal(new FieldError("spec.code", FieldErrorType.TooLong, "Too long: may not be more than 4 bytes"), Single("""{"type": "Agent", "code": "12345"}"""));
        Assert.Equal(
            new FieldError("spec.code", FieldErrorType.Invalid, "Invalid value: \"1\": spec.code in body should be at least 2 chars long"),
            Single("""{"type": "Agent", "code": "1"}"""));
    }

    [Fact]
    public void Formats_date_time_and_byte_are_checked_and_other_formats_are_not()
    {
        var errors = ValidateSpec("""{"type": "Agent", "since": "yesterday", "blob": "not base64!", "size": "huge"}""");

        Assert.Equal(
            [
                new FieldError("spec.since", FieldErrorType.TypeInvalid, "Invalid value: \"yesterday\": spec.since in body must be of type date-time: \"yesterday\""),
                new FieldError("spec.blob", FieldErrorType.TypeInvalid, "Invalid value: \"not base64!\": spec.blob in body must be of type byte: \"not base64!\""),
            ],
            errors);
    }

    [Fact]
    public void Int_or_string_accepts_both_and_rejects_others()
    {
        Assert.Empty(ValidateSpec("""{"type": "Agent", "port": 8080}"""));
        Assert.Equal(
            new FieldError("spec.port", FieldErrorType.TypeInvalid, "Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\""),
            Single("""{"type": "Agent", "port": true}"""));
    }

    [Fact]
    public void Array_item_errors_carry_the_index_in_the_path()
    {
        var errors = ValidateSpec("""{"type": "Agent", "agentUsers": [{"loginName": "a"}, {}, {"loginName": ""}]}""");

        Assert.Equal(
            [
                new FieldError("spec.agentUsers", FieldErrorType.TooMany, "Too many: 3: must have at most 2 items"),
                new FieldError("spec.agentUsers[1].loginName", FieldErrorType.Required, "Required value"),
                new FieldError("spec.agentUsers[2].loginName", FieldErrorType.Invalid, "Invalid value: \"\": spec.agentUsers[2].loginName in body should be at least 1 chars long"),
            ],
            errors);
    }

    [Fact]
    public void MinItems_reports_the_actual_count()
    {
        Assert.Equal(
            new FieldError("spec.agentUsers", FieldErrorType.Invalid, "Invalid value: 0: spec.agentUsers in body should have at least 1 items"),
            Single("""{"type": "Agent", "agentUsers": []}"""));
    }

    [Fact]
    public void Map_entry_errors_carry_the_key_in_brackets()
    {
        Assert.Equal(
            new FieldError("spec.customConfiguration[messageDelay]", FieldErrorType.Invalid, "Invalid value: \"soon\": spec.customConfiguration[messageDelay] in body should match '^[0-9]+$'"),
            Single("""{"type": "Agent", "customConfiguration": {"messageDelay": "soon"}}"""));
    }

    [Fact]
    public void Property_count_limits()
    {
        Assert.Equal(
            new FieldError("spec.customConfiguration", FieldErrorType.TooMany, "Too many: 3: must have at most 2 items"),
            Single("""{"type": "Agent", "customConfiguration": {"a": "1", "b": "2", "c": "3"}}"""));
        Assert.Equal(
            new FieldError("spec.customConfiguration", FieldErrorType.Invalid, "Invalid value: 0: spec.customConfiguration in body should have at least 1 properties"),
            Single("""{"type": "Agent", "customConfiguration": {}}"""));
    }

    [Fact]
    public void Embedded_resources_need_apiVersion_and_kind()
    {
        var errors = ValidateSpec("""{"type": "Agent", "template": {"spec": {}}}""");

        Assert.Equal(
            [
                new FieldError("spec.template.apiVersion", FieldErrorType.Required, "Required value: must not be empty"),
                new FieldError("spec.template.kind", FieldErrorType.Required, "Required value: must not be empty"),
            ],
            errors);
    }

    [Fact]
    public void All_errors_are_collected_not_just_the_first()
    {
        var errors = ValidateSpec("""{"type": "Foo", "replicas": 0, "code": "x", "enabled": "yes"}""");

        Assert.Equal(
            ["spec.type", "spec.replicas", "spec.code", "spec.code", "spec.enabled"],
            errors.Select(e => e.Path));
        Assert.Equal(
            [FieldErrorType.NotSupported, FieldErrorType.Invalid, FieldErrorType.Invalid, FieldErrorType.Invalid, FieldErrorType.TypeInvalid],
            errors.Select(e => e.Type));
    }

    [Fact]
    public void Type_errors_name_the_actual_type_of_objects()
    {
        Assert.Equal(
            new FieldError("spec.type", FieldErrorType.TypeInvalid, "Invalid value: \"object\": spec.type in body must be of type string: \"object\""),
            Single("""{"type": {"b": 1, "a": "x"}}"""));
    }

    [Fact]
    public void Object_bad_values_print_as_json_with_sorted_keys()
    {
        var schema = StructuralSchema.Parse(Json.Obj("""
            {"type": "object", "properties": {"choice": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "enum": [{"a": 1}]}}}
            """));

        var error = Assert.Single(schema.Validate(Json.Obj("""{"choice": {"b": [1, "x"], "a": 2}}"""), null, null));

        Assert.Equal("Unsupported value: {\"a\":2,\"b\":[1,\"x\"]}: supported values: \"{\\\"a\\\":1}\"", error.Message);
    }
}
