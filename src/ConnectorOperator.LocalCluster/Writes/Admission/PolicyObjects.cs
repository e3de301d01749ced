using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Writes.Admission;

/// <summary>
/// Validation of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects on write, as the API server's
/// strategy does it: required fields, allowed enum values, and every CEL expression must compile.
/// </summary>
internal static class PolicyObjects
{
    private static readonly string[] Actions = ["Deny", "Warn", "Audit"];

    public static void Validate(ResourceType resource, JsonObject obj, ICelEvaluator? cel)
    {
        var errors = new List<FieldError>();
        var spec = obj["spec"] as JsonObject ?? [];
        if (resource == ValidatingAdmissionPolicies.Policies)
        {
            ValidatePolicy(spec, errors, cel as IPolicyCelEvaluator);
        }
        else if (resource == ValidatingAdmissionPolicies.Bindings)
        {
            ValidateBinding(spec, errors);
        }
        if (errors.Count > 0)
        {
            throw InvalidObjects.Create(resource, JsonNodes.AsString(obj["metadata"]?["name"]), errors);
        }
    }

    private static void ValidatePolicy(JsonObject spec, List<FieldError> errors, IPolicyCelEvaluator? cel)
    {
        var validations = spec["validations"] as JsonArray ?? [];
        if (validations.Count == 0 && (spec["auditAnnotations"] as JsonArray ?? []).Count == 0)
        {
            errors.Add(new FieldError("spec.validations", FieldErrorType.Required, "Required value: validations or auditAnnotations must contain at least one item"));
        }
        if (JsonNodes.AsString(spec["failurePolicy"]) is { } failurePolicy && failurePolicy is not ("Fail" or "Ignore"))
        {
            errors.Add(new FieldError("spec.failurePolicy", FieldErrorType.NotSupported, $"Unsupported value: \"{failurePolicy}\": supported values: \"Fail\", \"Ignore\""));
        }
        if (spec["matchConstraints"]?["resourceRules"] is not JsonArray { Count: > 0 })
        {
            errors.Add(new FieldError("spec.matchConstraints.resourceRules", FieldErrorType.Required, "Required value"));
        }

        var expressions = new List<(string Path, string Expression)>();
        void Collect(string list, string field, bool required)
        {
            var items = spec[list] as JsonArray ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                var path = $"spec.{list}[{i}].{field}";
                if (JsonNodes.AsString(items[i]?[field]) is { Length: > 0 } expression)
                {
                    expressions.Add((path, expression));
                }
                else if (required)
                {
                    errors.Add(new FieldError(path, FieldErrorType.Required, "Required value: expression is not specified"));
                }
                if (list == "validations" && JsonNodes.AsString(items[i]?["messageExpression"]) is { Length: > 0 } message)
                {
                    expressions.Add(($"spec.validations[{i}].messageExpression", message));
                }
            }
        }
        Collect("validations", "expression", required: true);
        Collect("variables", "expression", required: true);
        Collect("matchConditions", "expression", required: true);
        if (cel is null || expressions.Count == 0)
        {
            return;
        }
        var compiled = cel.Compile([.. expressions.Select(e => e.Expression)]);
        for (var i = 0; i < expressions.Count; i++)
        {
            if (compiled[i] is { } problem)
            {
                errors.Add(new FieldError(expressions[i].Path, FieldErrorType.Invalid,
                    $"Invalid value: \"{expressions[i].Expression}\": compilation failed: ERROR: {problem}"));
            }
        }
    }

    private static void ValidateBinding(JsonObject spec, List<FieldError> errors)
    {
        if (JsonNodes.AsString(spec["policyName"]) is not { Length: > 0 })
        {
            errors.Add(new FieldError("spec.policyName", FieldErrorType.Required, "Required value"));
        }
        var actions = PolicyRules.Strings(spec["validationActions"]).ToList();
        if (actions.Count == 0)
        {
            errors.Add(new FieldError("spec.validationActions", FieldErrorType.Required, "Required value: at least one validation action is required"));
        }
        for (var i = 0; i < actions.Count; i++)
        {
            if (!Actions.Contains(actions[i], StringComparer.Ordinal))
            {
                errors.Add(new FieldError($"spec.validationActions[{i}]", FieldErrorType.NotSupported, $"Unsupported value: \"{actions[i]}\": supported values: \"Audit\", \"Deny\", \"Warn\""));
            }
        }
        if (actions.Contains("Deny") && actions.Contains("Warn"))
        {
            errors.Add(new FieldError("spec.validationActions", FieldErrorType.Invalid, "Invalid value: [\"Deny\",\"Warn\"]: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
        }
    }
}
