using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>Reads and writes of the metadata fields the server manages, on JSON objects.</summary>
internal static class ObjectMeta
{
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? Str(JsonObject obj, string field) =>
        obj["metadata"] is JsonObject meta && meta[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static string? Name(JsonObject obj) => Str(obj, "name");

    public static string? Namespace(JsonObject obj) => Str(obj, "namespace");

    public static string? Uid(JsonObject obj) => Str(obj, "uid");

    public static string? ResourceVersion(JsonObject obj) => Str(obj, "resourceVersion");

    public static bool IsDeleting(JsonObject obj) => Str(obj, "deletionTimestamp") is not null;

    public static long Generation(JsonObject obj) =>
        JsonNumbers.Long(obj["metadata"]?["generation"]) ?? 0;

    public static long? DeletionGracePeriod(JsonObject obj) =>
        JsonNumbers.Long(obj["metadata"]?["deletionGracePeriodSeconds"]);

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(f => f?.GetValue<string>() ?? string.Empty)] : [];

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        if (list.Count == 0)
        {
            Metadata(obj).Remove("finalizers");
        }
        else
        {
            Metadata(obj)["finalizers"] = new JsonArray([.. list.Select(f => (JsonNode)f)]);
        }
    }

    public static IReadOnlyList<JsonObject> OwnerReferences(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray a ? [.. a.OfType<JsonObject>()] : [];

    /// <summary>Empty metadata lists and maps are omitted, as Go's omitempty does for the real apiserver.</summary>
    public static void DropEmpty(JsonObject obj)
    {
        var meta = Metadata(obj);
        foreach (var field in new[] { "finalizers", "ownerReferences", "labels", "annotations", "managedFields" })
        {
            if (meta[field] is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                meta.Remove(field);
            }
        }
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Everything but metadata and status: a change here bumps metadata.generation.</summary>
    public static bool SpecEquals(JsonObject a, JsonObject b)
    {
        var keys = a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind")).Distinct();
        return keys.All(k => JsonNode.DeepEquals(a[k], b[k]));
    }

    /// <summary>Equal apart from resourceVersion and managedFields timestamps: such a write is a no-op.</summary>
    public static bool SameContent(JsonObject a, JsonObject b)
    {
        var x = Strip(a);
        var y = Strip(b);
        return JsonNode.DeepEquals(x, y);

        static JsonObject Strip(JsonObject o)
        {
            var copy = o.DeepClone().AsObject();
            copy.Remove("apiVersion");
            var meta = Metadata(copy);
            meta.Remove("resourceVersion");
            foreach (var entry in (meta["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                entry.Remove("time");
            }

            return copy;
        }
    }
}
