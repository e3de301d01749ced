using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>RFC 7386 JSON merge patch (application/merge-patch+json).</summary>
public static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> and returns a new node; neither input is changed.</summary>
    /// <remarks>Objects merge recursively, null removes a member, anything else (arrays included) replaces.</remarks>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return JsonNodes.Clone(patch);
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            result.TryGetPropertyValue(name, out var existing);
            result[name] = Apply(existing, value);
        }

        return result;
    }
}
