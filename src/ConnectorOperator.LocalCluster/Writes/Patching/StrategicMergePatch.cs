using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>Strategic merge patch (application/strategic-merge-patch+json) for the built-in kinds, with their list merge keys and $patch directives.</summary>
/// <remarks>
/// Maps merge recursively and null deletes; lists merge by the API's merge key, as sets (finalizers) or are replaced
/// (no strategy). Directives: <c>$patch: replace|delete|merge</c> on maps and list items, <c>{"$patch": "replace"}</c>
/// as a list element, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and
/// <c>$setElementOrder/&lt;field&gt;</c>. None survive into the result.
/// Simplification: <c>$setElementOrder</c> puts the listed items first, in the given order, followed by the items it
/// does not mention in their existing order (the apiserver interleaves the latter at their old positions).
/// </remarks>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <param name="target">The stored object; not changed.</param>
    /// <param name="patch">The patch document, a JSON object.</param>
    /// <param name="kind">Built-in kind of the target (Pod, Secret, ConfigMap, Namespace, Service, Event, Lease, PodDisruptionBudget, ...).</param>
    /// <exception cref="PatchException">400 for a patch that is not an object or misuses a directive; 422 when it deletes the whole object.</exception>
    public static JsonNode Apply(JsonNode target, JsonNode patch, string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException(400, "a strategic merge patch must be a JSON object");
        }

        return MergeMap(target as JsonObject, patchObject, kind, "")
            ?? throw new PatchException(422, "the strategic merge patch deleted the whole object");
    }

    /// <returns>The merged map, or null when the patch deletes it.</returns>
    private static JsonObject? MergeMap(JsonObject? original, JsonObject patch, string kind, string path)
    {
        switch (JsonNodes.AsString(patch[PatchDirective]))
        {
            case "delete":
                return null;
            case "replace":
                return MergeMap(null, WithoutDirective(patch), kind, path);
            case null or "merge":
                break;
            case var other:
                throw new PatchException(400, $"unknown $patch directive \"{other}\" at {Describe(path)}");
        }

        var result = original is null ? [] : (JsonObject)original.DeepClone();
        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(JsonNodes.AsString).ToHashSet(StringComparer.Ordinal);
            foreach (var name in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(name);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(result, key[DeleteFromPrimitiveListPrefix.Length..], value);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            var childPath = path.Length == 0 ? key : path + "." + key;
            result.TryGetPropertyValue(key, out var existing);
            JsonNode? merged;
            switch (value)
            {
                case null:
                    result.Remove(key);
                    continue;
                case JsonObject childPatch:
                    merged = MergeMap(existing as JsonObject, childPatch, kind, childPath);
                    break;
                case JsonArray listPatch:
                    merged = MergeList(existing as JsonArray, listPatch, kind, childPath);
                    break;
                default:
                    merged = value.DeepClone();
                    break;
            }

            if (merged is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var field = key[SetElementOrderPrefix.Length..];
                var childPath = path.Length == 0 ? field : path + "." + field;
                ApplyElementOrder(result, field, value, BuiltInListStrategies.For(kind, childPath));
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, string kind, string path)
    {
        var replaceWhole = patch.Any(item => item is JsonObject o && o.Count == 1 && JsonNodes.AsString(o[PatchDirective]) == "replace");
        var items = patch.Where(item => !(item is JsonObject o && o.Count == 1 && JsonNodes.AsString(o[PatchDirective]) == "replace")).ToList();
        var strategy = BuiltInListStrategies.For(kind, path);
        if (replaceWhole || strategy.Kind == ListMergeKind.Atomic)
        {
            return Cleaned(items, kind, path);
        }

        var result = original is null ? [] : (JsonArray)original.DeepClone();
        if (strategy.Kind == ListMergeKind.Set)
        {
            foreach (var item in items.Where(i => !result.Any(r => JsonNodes.DeepEquals(r, i))))
            {
                result.Add(item?.DeepClone());
            }

            return result;
        }

        var mergeKey = strategy.MergeKey!;
        foreach (var item in items)
        {
            if (item is not JsonObject itemPatch || !itemPatch.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw new PatchException(400, $"every item of {Describe(path)} must be an object with the merge key \"{mergeKey}\"");
            }

            var index = IndexOfKey(result, mergeKey, keyValue);
            if (JsonNodes.AsString(itemPatch[PatchDirective]) == "delete")
            {
                for (; index >= 0; index = IndexOfKey(result, mergeKey, keyValue))
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            var merged = MergeMap(index >= 0 ? result[index] as JsonObject : null, itemPatch, kind, path);
            if (index < 0)
            {
                if (merged is not null)
                {
                    result.Add(merged);
                }
            }
            else if (merged is null)
            {
                result.RemoveAt(index);
            }
            else
            {
                result[index] = merged;
            }
        }

        return result;
    }

    /// <summary>Patch items taken as they are, minus directives (nothing to merge them into).</summary>
    private static JsonArray Cleaned(IEnumerable<JsonNode?> items, string kind, string path)
    {
        var result = new JsonArray();
        foreach (var item in items)
        {
            switch (item)
            {
                case JsonObject obj:
                    if (MergeMap(null, obj, kind, path) is { } clean)
                    {
                        result.Add(clean);
                    }

                    break;
                case JsonArray nested:
                    result.Add(Cleaned(nested, kind, path));
                    break;
                default:
                    result.Add(item?.DeepClone());
                    break;
            }
        }

        return result;
    }

    private static int IndexOfKey(JsonArray list, string mergeKey, JsonNode? keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject item && item.TryGetPropertyValue(mergeKey, out var candidate) && JsonNodes.DeepEquals(candidate, keyValue))
            {
                return i;
            }
        }

        return -1;
    }

    private static void DeleteFromPrimitiveList(JsonObject result, string field, JsonNode? values)
    {
        if (values is not JsonArray toDelete)
        {
            throw new PatchException(400, $"$deleteFromPrimitiveList/{field} must be a list");
        }

        if (result[field] is not JsonArray list)
        {
            return;
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (toDelete.Any(d => JsonNodes.DeepEquals(d, list[i])))
            {
                list.RemoveAt(i);
            }
        }
    }

    private static void ApplyElementOrder(JsonObject result, string field, JsonNode? order, ListStrategy strategy)
    {
        if (order is not JsonArray wanted)
        {
            throw new PatchException(400, $"$setElementOrder/{field} must be a list");
        }

        if (result[field] is not JsonArray list)
        {
            return;
        }

        var remaining = list.ToList();
        var ordered = new List<JsonNode?>();
        foreach (var marker in wanted)
        {
            var match = remaining.FindIndex(item => Matches(item, marker, strategy));
            if (match >= 0)
            {
                ordered.Add(remaining[match]);
                remaining.RemoveAt(match);
            }
        }

        ordered.AddRange(remaining);
        list.Clear();
        foreach (var item in ordered)
        {
            list.Add(item);
        }
    }

    private static bool Matches(JsonNode? item, JsonNode? marker, ListStrategy strategy) =>
        strategy.MergeKey is { } key
            ? item is JsonObject o && marker is JsonObject m && JsonNodes.DeepEquals(o[key], m[key])
            : JsonNodes.DeepEquals(item, marker);

    private static JsonObject WithoutDirective(JsonObject patch)
    {
        var copy = (JsonObject)patch.DeepClone();
        copy.Remove(PatchDirective);
        return copy;
    }

    private static string Describe(string path) => path.Length == 0 ? "the object" : "." + path;
}
