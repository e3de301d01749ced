using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>RFC 6902 JSON patch (application/json-patch+json), including <c>test</c>.</summary>
public static class JsonPatch
{
    /// <summary>Applies the operations in order to a copy of <paramref name="target"/>; all or nothing.</summary>
    /// <exception cref="PatchException">400 for a malformed operation; 422 when an operation cannot be applied (missing path, failed test).</exception>
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);

        // The document root is held in a wrapper so that "" paths can replace it like any other member.
        var holder = new JsonObject { ["root"] = target.DeepClone() };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw new PatchException(400, $"JSON patch operation {i} is not an object");
            }

            ApplyOne(holder, op, i);
        }

        return holder["root"] ?? throw new PatchException(422, "the JSON patch removed the whole document");
    }

    private static void ApplyOne(JsonObject holder, JsonObject op, int index)
    {
        var name = JsonNodes.AsString(op["op"]) ?? throw new PatchException(400, $"JSON patch operation {index} has no \"op\"");
        var path = Pointer(op, "path", index);
        switch (name)
        {
            case "add":
                Add(holder, path, RequiredValue(op, index));
                break;
            case "remove":
                Remove(holder, path);
                break;
            case "replace":
                var replacement = RequiredValue(op, index);
                Remove(holder, path);
                Add(holder, path, replacement);
                break;
            case "move":
                var from = Pointer(op, "from", index);
                if (path.IsStrictlyInside(from))
                {
                    throw new PatchException(422, $"cannot move \"{from}\" into its own child \"{path}\"");
                }

                if (from.Text != path.Text)
                {
                    var moved = Remove(holder, from);
                    Add(holder, path, moved);
                }

                break;
            case "copy":
                var source = Pointer(op, "from", index);
                var copied = Get(holder, source);
                Add(holder, path, JsonNodes.Clone(copied));
                break;
            case "test":
                var expected = RequiredValue(op, index);
                var actual = Get(holder, path);
                if (!JsonNodes.DeepEquals(actual, expected))
                {
                    throw new PatchException(422, $"the test operation on \"{path}\" failed: the value is not {expected?.ToJsonString() ?? "null"}");
                }

                break;
            default:
                throw new PatchException(400, $"unsupported JSON patch operation \"{name}\"");
        }
    }

    private static JsonPointer Pointer(JsonObject op, string member, int index)
    {
        var text = JsonNodes.AsString(op[member])
            ?? throw new PatchException(400, $"JSON patch operation {index} has no \"{member}\"");
        return JsonPointer.Parse(text);
    }

    private static JsonNode? RequiredValue(JsonObject op, int index)
    {
        if (!op.TryGetPropertyValue("value", out var value))
        {
            throw new PatchException(400, $"JSON patch operation {index} has no \"value\"");
        }

        return value?.DeepClone();
    }

    private static JsonPointer InHolder(JsonPointer pointer) =>
        JsonPointer.Parse("/root" + pointer.Text);

    private static JsonNode? Get(JsonObject holder, JsonPointer pointer)
    {
        var value = InHolder(pointer).Resolve(holder, out var found);
        return found ? value : throw Missing(pointer);
    }

    private static void Add(JsonObject holder, JsonPointer pointer, JsonNode? value)
    {
        var full = InHolder(pointer);
        switch (full.ResolveParent(holder))
        {
            case JsonObject obj:
                obj[full.LastToken] = value;
                break;
            case JsonArray array:
                if (full.LastToken == "-")
                {
                    array.Add(value);
                    break;
                }

                var index = JsonPointer.ArrayIndex(full.LastToken);
                if (index is null || index > array.Count)
                {
                    throw new PatchException(422, $"cannot add at \"{pointer}\": index out of range");
                }

                array.Insert(index.Value, value);
                break;
            default:
                throw Missing(pointer);
        }
    }

    private static JsonNode? Remove(JsonObject holder, JsonPointer pointer)
    {
        var full = InHolder(pointer);
        switch (full.ResolveParent(holder))
        {
            case JsonObject obj when obj.TryGetPropertyValue(full.LastToken, out var existing):
                obj.Remove(full.LastToken);
                return existing;
            case JsonArray array when JsonPointer.ArrayIndex(full.LastToken) is { } index && index < array.Count:
                var item = array[index];
                array.RemoveAt(index);
                return item;
            default:
                throw Missing(pointer);
        }
    }

    private static PatchException Missing(JsonPointer pointer) =>
        new(422, $"the path \"{pointer}\" does not exist");
}
