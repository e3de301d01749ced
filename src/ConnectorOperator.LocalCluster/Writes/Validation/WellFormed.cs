using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Validation;

/// <summary>
/// The typed decoding the apiserver does before anything else: type and object metadata fields must have their
/// declared JSON types, or the request is a 400 like Go's "cannot unmarshal" errors.
/// </summary>
internal static class WellFormed
{
    private static readonly string[] StringFields = ["name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "selfLink"];
    private static readonly string[] StringMaps = ["labels", "annotations"];
    private static readonly string[] OwnerStrings = ["apiVersion", "kind", "name", "uid"];
    private static readonly string[] OwnerBools = ["controller", "blockOwnerDeletion"];

    /// <exception cref="ApiStatusException">400 naming the first ill-typed field.</exception>
    public static void Require(JsonObject obj)
    {
        Expect(obj["apiVersion"], JsonValueKind.String, "apiVersion");
        Expect(obj["kind"], JsonValueKind.String, "kind");
        if (obj["metadata"] is null)
        {
            return;
        }

        if (obj["metadata"] is not JsonObject meta)
        {
            throw Error("metadata", "object");
        }

        foreach (var field in StringFields)
        {
            Expect(meta[field], JsonValueKind.String, $"metadata.{field}");
        }

        Expect(meta["generation"], JsonValueKind.Number, "metadata.generation");
        Expect(meta["deletionGracePeriodSeconds"], JsonValueKind.Number, "metadata.deletionGracePeriodSeconds");
        foreach (var field in StringMaps)
        {
            if (meta[field] is null)
            {
                continue;
            }

            if (meta[field] is not JsonObject map)
            {
                throw Error($"metadata.{field}", "map[string]string");
            }

            foreach (var (key, value) in map)
            {
                Expect(value, JsonValueKind.String, $"metadata.{field}.{key}", required: true);
            }
        }

        if (meta["finalizers"] is { } finalizers)
        {
            var list = finalizers as JsonArray ?? throw Error("metadata.finalizers", "[]string");
            foreach (var item in list)
            {
                Expect(item, JsonValueKind.String, "metadata.finalizers", required: true);
            }
        }

        if (meta["ownerReferences"] is { } owners)
        {
            var list = owners as JsonArray ?? throw Error("metadata.ownerReferences", "[]OwnerReference");
            foreach (var item in list)
            {
                var owner = item as JsonObject ?? throw Error("metadata.ownerReferences", "OwnerReference");
                foreach (var field in OwnerStrings)
                {
                    Expect(owner[field], JsonValueKind.String, $"metadata.ownerReferences.{field}");
                }

                foreach (var field in OwnerBools)
                {
                    if (owner[field] is JsonValue v && v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw Error($"metadata.ownerReferences.{field}", "bool");
                    }
                }
            }
        }
    }

    private static void Expect(JsonNode? node, JsonValueKind kind, string path, bool required = false)
    {
        if (node is null && !required)
        {
            return;
        }

        if (node is not JsonValue value || value.GetValueKind() != kind)
        {
            throw Error(path, kind == JsonValueKind.String ? "string" : "int64");
        }
    }

    private static ApiStatusException Error(string path, string type) =>
        StatusObjects.BadRequest($"json: cannot unmarshal into Go struct field {path} of type {type}");
}
