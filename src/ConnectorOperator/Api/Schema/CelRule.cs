namespace ConnectorOperator.Api.Schema;

/// <summary>One <c>x-kubernetes-validations</c> entry. Rules use standard CEL only (no Kubernetes library functions).</summary>
/// <param name="FieldPath">Relative path of the field the error names (".agentUsers", "['lpPassword']"); null names the rule's own node.</param>
/// <param name="Reason">FieldValueInvalid (the API's default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.</param>
public sealed record CelRule(string Rule, string Message, string? FieldPath = null, string? Reason = null);
