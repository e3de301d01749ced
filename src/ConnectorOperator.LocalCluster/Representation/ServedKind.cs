using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>A kind the double serves, as the OpenAPI documents describe it.</summary>
/// <param name="Schema">openAPIV3Schema for a custom resource; null for a built-in kind (described loosely, with preserve-unknown-fields).</param>
public sealed record ServedKind(string Group, string Version, string Kind, string Plural, bool Namespaced, JsonObject? Schema, bool HasStatus, bool HasScale);
