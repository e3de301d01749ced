using System.Text.Json.Nodes;

namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>
/// Navigation in a spec by segments: a string is a property or map key, an int a list index, <see cref="AnyItem"/>
/// every item of a list. Setting creates the objects (and lists) on the way, as a user adding a field would.
/// </summary>
internal static class SpecPath
{
    public const string AnyItem = "*";

    public static JsonNode? Get(JsonNode? root, IReadOnlyList<object> path)
    {
        var node = root;
        foreach (var segment in path)
        {
            node = (node, segment) switch
            {
                (JsonObject obj, string name) => obj[name],
                (JsonArray array, int i) when i < array.Count => array[i],
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The object or list that holds the last segment, if it exists.</summary>
    public static JsonNode? Parent(JsonNode root, IReadOnlyList<object> path) => path.Count == 1 ? root : Get(root, path.Take(path.Count - 1).ToList());

    public static bool Contains(JsonNode root, IReadOnlyList<object> path) => (Parent(root, path), path[^1]) switch
    {
        (JsonObject obj, string name) => obj.ContainsKey(name),
        (JsonArray array, int i) => i < array.Count,
        _ => false,
    };

    public static void Set(JsonObject root, IReadOnlyList<object> path, JsonNode? value)
    {
        JsonNode node = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            node = Child(node, path[i], nextIsIndex: path[i + 1] is int);
        }
        switch (node, path[^1])
        {
            case (JsonObject obj, string name):
                obj[name] = value;
                break;
            case (JsonArray array, int index):
                while (array.Count <= index) array.Add(new JsonObject());
                array[index] = value;
                break;
        }
    }

    public static void Remove(JsonObject root, IReadOnlyList<object> path)
    {
        switch (Parent(root, path), path[^1])
        {
            case (JsonObject obj, string name):
                obj.Remove(name);
                break;
            case (JsonArray array, int index) when index < array.Count:
                array.RemoveAt(index);
                break;
        }
    }

    /// <summary>Each concrete path <paramref name="path"/> stands for: every present item where it says <see cref="AnyItem"/>.</summary>
    public static IEnumerable<IReadOnlyList<object>> Expand(JsonNode root, IReadOnlyList<object> path)
    {
        var star = path.ToList().IndexOf(AnyItem);
        if (star < 0)
        {
            yield return path;
            yield break;
        }
        if (Get(root, path.Take(star).ToList()) is not JsonArray array) yield break;
        for (var i = 0; i < array.Count; i++)
        {
            foreach (var expanded in Expand(root, [.. path.Take(star), i, .. path.Skip(star + 1)]))
            {
                yield return expanded;
            }
        }
    }

    /// <summary>The API field path of a concrete path under spec: spec.agentUsers[0].loginName; map keys in brackets.</summary>
    public static string Name(IReadOnlyList<object> path, int mapKeyAt = -1)
    {
        var name = "spec";
        for (var i = 0; i < path.Count; i++)
        {
            name += path[i] switch
            {
                int index => $"[{index}]",
                string key when i == mapKeyAt => $"[{key}]",
                var key => $".{key}",
            };
        }
        return name;
    }

    /// <summary>The container at a segment, replacing whatever is there when it is not the kind the next segment needs.</summary>
    private static JsonNode Child(JsonNode node, object segment, bool nextIsIndex)
    {
        JsonNode Create() => nextIsIndex ? new JsonArray() : new JsonObject();
        bool Fits(JsonNode? child) => nextIsIndex ? child is JsonArray : child is JsonObject;
        switch (node, segment)
        {
            case (JsonObject obj, string name):
                if (!Fits(obj[name])) obj[name] = Create();
                return obj[name]!;
            case (JsonArray array, int index):
                while (array.Count <= index) array.Add(Create());
                if (!Fits(array[index])) array[index] = Create();
                return array[index]!;
            default:
                throw new InvalidOperationException($"cannot step into {segment} of a {node.GetValueKind()}");
        }
    }
}
