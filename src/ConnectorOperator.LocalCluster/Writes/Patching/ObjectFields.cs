using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>An object's fields as <see cref="FieldPath"/>s, and lookups/removals by path, for field ownership.</summary>
/// <remarks>
/// Lists follow <see cref="BuiltInListStrategies"/> (custom kinds: atomic, except the ObjectMeta lists);
/// an associative list whose items lack the merge key is treated as atomic. Null values are not fields.
/// Like the apiserver, apiVersion, kind and the server-owned metadata fields are never owned.
/// </remarks>
internal static class ObjectFields
{
    private static readonly HashSet<string> UnownedMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "selfLink", "managedFields",
    };

    /// <summary>
    /// Fields typed as maps (not structs) in the built-in kinds. Maps, unlike structs, are members of a field set in
    /// their own right (the "." entries of FieldsV1) when an update adds them; without schemas, custom kinds' objects
    /// all count as structs.
    /// </summary>
    private static readonly HashSet<string> MapFields = new(StringComparer.Ordinal)
    {
        "labels", "annotations", "data", "binaryData", "stringData", "nodeSelector", "limits", "requests", "matchLabels",
    };

    private static readonly HashSet<string> MetadataLists = new(StringComparer.Ordinal)
    {
        "metadata.finalizers", "metadata.ownerReferences",
    };

    private static bool IsMapField(FieldPath path) =>
        path.Length > 0 && path.Elements[^1].StartsWith("f:", StringComparison.Ordinal) && MapFields.Contains(path.Elements[^1][2..]);

    /// <summary>One field of an object; leaves are compared by value, the others by their members.</summary>
    public readonly record struct Member(FieldPath Path, JsonNode? Value, bool IsLeaf);

    /// <param name="withContainers">
    /// True: maps and the metadata lists are members themselves (what an update adds, and what exists).
    /// False: only leaves and associative list items are (what an apply configuration sets).
    /// </param>
    public static IReadOnlyList<Member> Enumerate(JsonObject obj, string kind, bool withContainers)
    {
        var members = new List<Member>();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                var metadataPath = FieldPath.Root.Field("metadata");
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!UnownedMetadata.Contains(metaKey))
                    {
                        AddValue(metaValue, metadataPath.Field(metaKey), kind, withContainers, members);
                    }
                }

                continue;
            }

            AddValue(value, FieldPath.Root.Field(key), kind, withContainers, members);
        }

        return members;
    }

    public static FieldSet Set(JsonObject obj, string kind, bool withContainers) =>
        new(Enumerate(obj, kind, withContainers).Select(m => m.Path));

    /// <summary>Fields of <paramref name="after"/> that are new or whose leaf value differs from <paramref name="before"/>.</summary>
    public static FieldSet Changed(JsonObject? before, JsonObject after, string kind) =>
        Changed(before, Enumerate(after, kind, withContainers: true));

    /// <summary>Of the members of an object (enumerated with containers), those new or changed since <paramref name="before"/>.</summary>
    public static FieldSet Changed(JsonObject? before, IEnumerable<Member> after) =>
        new(after
            .Where(m => before is null || !TryFind(before, m.Path, out var old) || (m.IsLeaf && !JsonNodes.DeepEquals(old, m.Value)))
            .Select(m => m.Path));

    private static void AddValue(JsonNode? value, FieldPath path, string kind, bool withContainers, List<Member> members)
    {
        switch (value)
        {
            case null:
                return;
            case JsonObject obj when obj.Count == 0:
                members.Add(new Member(path, obj, IsLeaf: true));
                return;
            case JsonObject obj:
                if (withContainers && IsMapField(path))
                {
                    members.Add(new Member(path, obj, IsLeaf: false));
                }

                foreach (var (key, child) in obj)
                {
                    AddValue(child, path.Field(key), kind, withContainers, members);
                }

                return;
            case JsonArray list:
                AddList(list, path, kind, withContainers, members);
                return;
            default:
                members.Add(new Member(path, value, IsLeaf: true));
                return;
        }
    }

    private static void AddList(JsonArray list, FieldPath path, string kind, bool withContainers, List<Member> members)
    {
        var strategy = StrategyOf(list, path, kind);
        if (strategy.Kind == ListMergeKind.Atomic || list.Count == 0)
        {
            members.Add(new Member(path, list, IsLeaf: true));
            return;
        }

        if (withContainers && MetadataLists.Contains(path.FieldNames()))
        {
            members.Add(new Member(path, list, IsLeaf: false));
        }

        foreach (var item in list)
        {
            if (strategy.Kind == ListMergeKind.Set)
            {
                members.Add(new Member(path.Value(item), item, IsLeaf: true));
                continue;
            }

            var itemObject = (JsonObject)item!;
            var itemPath = path.Key(strategy.MergeKey!, itemObject[strategy.MergeKey!]);
            members.Add(new Member(itemPath, itemObject, IsLeaf: false));
            foreach (var (key, child) in itemObject)
            {
                AddValue(child, itemPath.Field(key), kind, withContainers, members);
            }
        }
    }

    /// <summary>The list's strategy, downgraded to atomic when its items do not fit it.</summary>
    public static ListStrategy StrategyOf(JsonArray list, FieldPath path, string kind)
    {
        var strategy = BuiltInListStrategies.For(kind, path.FieldNames());
        var fits = strategy.Kind switch
        {
            ListMergeKind.Map => list.All(i => i is JsonObject o && o[strategy.MergeKey!] is not null),
            ListMergeKind.Set => list.All(i => i is JsonValue),
            _ => true,
        };
        return fits ? strategy : ListStrategy.Atomic;
    }

    public static bool TryFind(JsonNode root, FieldPath path, out JsonNode? value)
    {
        value = root;
        foreach (var element in path.Elements)
        {
            if (value is null || !TryStep(value, element, out _, out value))
            {
                value = null;
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes the field; false when it is not there.</summary>
    public static bool Remove(JsonNode root, FieldPath path)
    {
        if (path.Length == 0 || !TryFind(root, path.Parent, out var parent) || parent is null)
        {
            return false;
        }

        var last = path.Elements[^1];
        if (!TryStep(parent, last, out var index, out _))
        {
            return false;
        }

        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(last[2..]);
                break;
            case JsonArray list:
                list.RemoveAt(index);
                break;
        }

        return true;
    }

    private static bool TryStep(JsonNode node, string element, out int index, out JsonNode? child)
    {
        index = -1;
        child = null;
        var payload = element[2..];
        switch (element[..2])
        {
            case "f:" when node is JsonObject obj:
                return obj.TryGetPropertyValue(payload, out child);
            case "k:" when node is JsonArray list && JsonNode.Parse(payload) is JsonObject key:
                index = IndexOf(list, item => item is JsonObject o && key.All(k => o.TryGetPropertyValue(k.Key, out var v) && JsonNodes.DeepEquals(v, k.Value)));
                break;
            case "v:" when node is JsonArray list:
                var wanted = JsonNode.Parse(payload);
                index = IndexOf(list, item => JsonNodes.DeepEquals(item, wanted));
                break;
            case "i:" when node is JsonArray list && int.TryParse(payload, System.Globalization.CultureInfo.InvariantCulture, out var i):
                index = i >= 0 && i < list.Count ? i : -1;
                break;
        }

        if (index < 0 || node is not JsonArray array)
        {
            return false;
        }

        child = array[index];
        return true;
    }

    private static int IndexOf(JsonArray list, Func<JsonNode?, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
