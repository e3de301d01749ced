using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class CrdValidationTests
{
    private static readonly System.Text.Json.Nodes.JsonObject Crd = Json.Obj("""
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "botconnectors.example.dev"},
         "spec": {"group": "example.dev", "scope": "Namespaced",
          "names": {"plural": "botconnectors", "singular": "botconnector", "kind": "BotConnector"},
          "versions": [
            {"name": "v1alpha1", "served": true, "storage": false, "schema": {"openAPIV3Schema": {"type": "object",
              "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}},
            {"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object",
              "properties": {"spec": {"type": "object", "required": ["brandId"],
                "x-kubernetes-validations": [{"rule": "self.replicas <= 3", "message": "at most 3 replicas"}],
                "properties": {
                  "brandId": {"type": "string", "x-kubernetes-validations": [{"rule": "self == oldSelf", "message": "brandId is immutable"}]},
                  "replicas": {"type": "integer", "default": 1}}}}}}}]}}
        """);

    [Fact]
    public void Uses_the_storage_version_schema_with_defaults_applied_before_validation()
    {
        var errors = CrdValidation.ValidateAgainstCrd(Crd, Json.Obj("""{"apiVersion": "example.dev/v1", "kind": "BotConnector", "spec": {"junk": 1}}"""), null, SharedCel.Evaluator);

        Assert.Equal([new FieldError("spec.brandId", FieldErrorType.Required, "Required value")], errors);
    }

    [Fact]
    public void Runs_rules_including_transition_rules_and_leaves_the_inputs_untouched()
    {
        var obj = Json.Obj("""{"spec": {"brandId": "b", "replicas": 4}}""");
        var old = Json.Obj("""{"spec": {"brandId": "a"}}""");

        var errors = CrdValidation.ValidateAgainstCrd(Crd, obj, old, SharedCel.Evaluator);

        Assert.Equal(
            [
                new FieldError("spec.brandId", FieldErrorType.Invalid, "Invalid value: \"b\": brandId is immutable"),
                new FieldError("spec", FieldErrorType.Invalid, "Invalid value: at most 3 replicas"),
            ],
            errors);
        Assert.Equal("""{"spec":{"brandId":"b","replicas":4}}""", Json.Text(obj));
    }

    [Fact]
    public void A_CRD_without_a_storage_version_is_rejected()
    {
        var crd = Json.Obj("""{"spec": {"versions": [{"name": "v1", "storage": false}]}}""");

        Assert.Throws<ArgumentException>(() => CrdValidation.ValidateAgainstCrd(crd, Json.Obj("{}"), null, null));
    }
}
