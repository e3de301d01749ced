using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Patching;

// SEAM (owned by the kubectl-surface helper): signatures fixed, bodies to be written.

/// <summary>A patch the server could not apply: <see cref="StatusCode"/> is 400 (malformed), 409 (apply conflict) or 422 (failed to apply, e.g. a failed test op).</summary>
public sealed class PatchException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>RFC 7386 JSON merge patch (application/merge-patch+json).</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => throw new NotSupportedException("seam");
}

/// <summary>RFC 6902 JSON patch (application/json-patch+json), including <c>test</c>.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonArray operations) => throw new NotSupportedException("seam");
}

/// <summary>Strategic merge patch (application/strategic-merge-patch+json) for the built-in kinds, with their list merge keys and $patch directives.</summary>
public static class StrategicMergePatch
{
    /// <param name="kind">Built-in kind of the target (Pod, Secret, ConfigMap, Namespace, Service, Event, Lease, PodDisruptionBudget, ...).</param>
    public static JsonNode Apply(JsonNode target, JsonNode patch, string kind) => throw new NotSupportedException("seam");
}

/// <summary>Server-side apply (application/apply-patch+yaml): create-or-merge under a field manager, recording managedFields.</summary>
public static class ServerSideApply
{
    /// <param name="live">The stored object, or null to create.</param>
    /// <param name="applied">The applied configuration (already parsed from YAML or JSON).</param>
    /// <param name="kind">Used to pick strategic list merge keys for built-in kinds; custom kinds merge lists atomically unless x-kubernetes-list-type says otherwise.</param>
    /// <returns>The merged object, with metadata.managedFields updated.</returns>
    /// <exception cref="PatchException">409 when another manager owns a changed field and <paramref name="force"/> is false.</exception>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string fieldManager, bool force, string kind) => throw new NotSupportedException("seam");
}
