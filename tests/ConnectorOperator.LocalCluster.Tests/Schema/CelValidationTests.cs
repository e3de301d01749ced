using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class CelValidationTests
{
    private static readonly NodeCelEvaluator Cel = SharedCel.Evaluator;

    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Obj("""
        {"type": "object", "properties": {
          "spec": {"type": "object",
            "x-kubernetes-validations": [
              {"rule": "!has(self.minReplicas) || self.minReplicas <= self.replicas", "message": "minReplicas must not exceed replicas"},
              {"rule": "!has(self.mode) || self.mode != 'Legacy'", "messageExpression": "'mode ' + self.mode + ' is retired'"},
              {"rule": "!has(self.users) || self.users.all(u, u.name.startsWith('bot-'))", "message": "user names start with bot-", "fieldPath": ".users", "reason": "FieldValueForbidden"},
              {"rule": "!has(self.labels) || !('forbidden' in self.labels)"}
            ],
            "properties": {
              "replicas": {"type": "integer", "x-kubernetes-validations": [
                {"rule": "self >= oldSelf", "message": "replicas may not decrease"},
                {"rule": "type(self) == int && string(self) == string(self / 1)", "message": "replicas is an int"}]},
              "minReplicas": {"type": "integer"},
              "ratio": {"type": "number", "x-kubernetes-validations": [{"rule": "type(self) == double", "message": "ratio is a double"}]},
              "mode": {"type": "string", "x-kubernetes-validations": [{"rule": "self == oldSelf", "message": "mode is immutable"}]},
              "since": {"type": "string", "format": "date-time", "x-kubernetes-validations": [
                {"rule": "self > timestamp('2000-01-01T00:00:00Z')", "message": "since is after 2000"}]},
              "users": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "loginName": {"type": "string", "minLength": 1}},
                "x-kubernetes-validations": [{"rule": "has(self.loginName)", "message": "loginName is required", "reason": "FieldValueRequired", "fieldPath": ".loginName"}]}},
              "labels": {"type": "object", "additionalProperties": {"type": "string"},
                "x-kubernetes-validations": [{"rule": "self.all(k, self[k].size() < 10)", "reason": "FieldValueDuplicate"}]},
              "broken": {"type": "string", "x-kubernetes-validations": [{"rule": "self ==", "message": "never"}]},
              "missingKey": {"type": "object", "properties": {"a": {"type": "string"}},
                "x-kubernetes-validations": [{"rule": "self.a == 'x'"}]},
              "first": {"type": "string", "x-kubernetes-validations": [
                {"rule": "oldSelf.hasValue() ? oldSelf.value() == self : self == 'initial'", "optionalOldSelf": true, "message": "starts as initial, then fixed"}]}
            }}}}
        """));

    private static IReadOnlyList<FieldError> Validate(string spec, string? oldSpec = null) =>
        Schema.Validate(
            Json.Obj($$"""{"spec": {{spec}}}"""),
            oldSpec is null ? null : Json.Obj($$"""{"spec": {{oldSpec}}}"""),
            Cel);

    [Fact]
    public void Passing_rules_report_nothing()
    {
        Assert.Empty(Validate("""
            {"replicas": 3, "minReplicas": 1, "mode": "Modern", "ratio": 1, "since": "2024-01-01T00:00:00Z",
             "users": [{"name": "bot-a", "loginName": "a"}], "labels": {"k": "v"}}
            """));
    }

    [Fact]
    public void A_false_rule_reports_its_message_at_the_node_omitting_object_values()
    {
        Assert.Equal(
            [new FieldError("spec", FieldErrorType.Invalid, "Invalid value: minReplicas must not exceed replicas")],
            Validate("""{"replicas": 1, "minReplicas": 2}"""));
    }

    [Fact]
    public void MessageExpression_is_evaluated_for_the_message()
    {
        Assert.Equal(
            [new FieldError("spec", FieldErrorType.Invalid, "Invalid value: mode Legacy is retired")],
            Validate("""{"mode": "Legacy"}"""));
    }

    [Fact]
    public void FieldPath_and_reason_shape_the_error()
    {
        Assert.Equal(
            [new FieldError("spec.users", FieldErrorType.Forbidden, "Forbidden: user names start with bot-")],
            Validate("""{"users": [{"name": "human", "loginName": "h"}]}"""));
    }

    [Fact]
    public void Rules_on_array_items_run_per_item_with_the_index_in_the_path()
    {
        Assert.Equal(
            [new FieldError("spec.users[1].loginName", FieldErrorType.Required, "Required value: loginName is required")],
            Validate("""{"users": [{"name": "bot-a", "loginName": "a"}, {"name": "bot-b"}]}"""));
    }

    [Fact]
    public void Duplicate_reason_omits_object_values_and_no_message_means_failed_rule()
    {
        Assert.Equal(
            [
                new FieldError("spec.labels", FieldErrorType.Duplicate, "Duplicate value"),
                new FieldError("spec", FieldErrorType.Invalid, "Invalid value: failed rule: !has(self.labels) || !('forbidden' in self.labels)"),
            ],
            Validate("""{"labels": {"forbidden": "0123456789"}}"""));
    }

    [Fact]
    public void Has_distinguishes_absent_fields()
    {
        Assert.Empty(Validate("""{"replicas": 1}"""));
        Assert.Single(Validate("""{"replicas": 1, "minReplicas": 5}"""));
    }

    [Fact]
    public void Transition_rules_are_skipped_on_create_and_checked_on_update()
    {
        Assert.Empty(Validate("""{"replicas": 2, "mode": "A"}"""));
        Assert.Empty(Validate("""{"replicas": 3, "mode": "A"}""", oldSpec: """{"replicas": 2, "mode": "A"}"""));
        Assert.Equal(
            [
                new FieldError("spec.replicas", FieldErrorType.Invalid, "Invalid value: 1: replicas may not decrease"),
                new FieldError("spec.mode", FieldErrorType.Invalid, "Invalid value: \"B\": mode is immutable"),
            ],
            Validate("""{"replicas": 1, "mode": "B"}""", oldSpec: """{"replicas": 2, "mode": "A"}"""));
    }

    [Fact]
    public void Transition_rules_are_skipped_for_fields_new_in_the_update()
    {
        Assert.Empty(Validate("""{"replicas": 1, "mode": "B"}""", oldSpec: "{}"));
        Assert.Empty(Validate("""{"replicas": 1, "mode": "B"}""", oldSpec: """{"replicas": null, "mode": null}"""));
    }

    [Fact]
    public void OptionalOldSelf_rules_also_run_on_create_with_an_absent_oldSelf()
    {
        Assert.Empty(Validate("""{"first": "initial"}"""));
        Assert.Equal(
            [new FieldError("spec.first", FieldErrorType.Invalid, "Invalid value: \"other\": starts as initial, then fixed")],
            Validate("""{"first": "other"}"""));
        Assert.Empty(Validate("""{"first": "other"}""", oldSpec: """{"first": "other"}"""));
        Assert.Single(Validate("""{"first": "changed"}""", oldSpec: """{"first": "other"}"""));
    }

    [Fact]
    public void Integer_fields_are_CEL_ints_and_number_fields_doubles()
    {
        Assert.Empty(Validate("""{"replicas": 3, "ratio": 2}"""));
    }

    [Fact]
    public void Date_time_fields_are_CEL_timestamps()
    {
        Assert.Equal(
            [new FieldError("spec.since", FieldErrorType.Invalid, "Invalid value: \"1999-12-31T23:59:59Z\": since is after 2000")],
            Validate("""{"since": "1999-12-31T23:59:59Z"}"""));
    }

    [Fact]
    public void A_rule_that_does_not_compile_is_reported_as_an_error()
    {
        var error = Assert.Single(Validate("""{"broken": "x"}"""));

        Assert.Equal("spec.broken", error.Path);
        Assert.Equal(FieldErrorType.Invalid, error.Type);
        Assert.StartsWith("Invalid value: \"string\": rule compile error: ", error.Message);
    }

    [Fact]
    public void A_runtime_error_names_the_rule()
    {
        var error = Assert.Single(Validate("""{"missingKey": {}}"""));

        Assert.Equal("spec.missingKey", error.Path);
        Assert.Equal("Invalid value: \"object\": field not found: a evaluating rule: self.a == 'x'", error.Message);
    }

    [Fact]
    public void Type_errors_below_a_node_block_its_rules()
    {
        Assert.Equal(
            [new FieldError("spec.replicas", FieldErrorType.TypeInvalid, "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")],
            Validate("""{"replicas": "many", "minReplicas": 2}"""));
    }

    [Fact]
    public void Without_an_evaluator_rules_are_skipped()
    {
        Assert.Empty(Schema.Validate(Json.Obj("""{"spec": {"replicas": 1, "minReplicas": 2}}"""), null, cel: null));
    }

    [Fact]
    public void Value_errors_below_a_node_do_not_block_its_rules_and_both_are_reported()
    {
        var errors = Validate("""{"replicas": 1, "minReplicas": 2, "users": [{"name": "bot-a", "loginName": ""}]}""");

        Assert.Equal(
            ["spec.users[0].loginName", "spec"],
            errors.Select(e => e.Path));
    }
}
