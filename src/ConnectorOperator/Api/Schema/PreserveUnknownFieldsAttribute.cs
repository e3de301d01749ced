namespace ConnectorOperator.Api.Schema;

/// <summary>
/// An object (or, on a list, each item) kept as written: <c>x-kubernetes-preserve-unknown-fields</c>. For Kubernetes
/// types whose full schema would dwarf ours (affinity, topology spread constraints); the pod's own API validates them.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
