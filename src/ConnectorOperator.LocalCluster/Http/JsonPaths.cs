using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>The simple dotted paths a CRD's scale subresource uses (".spec.replicas").</summary>
internal static class JsonPaths
{
    public static JsonNode? Get(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in Parts(path))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    public static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var parts = Parts(path);
        var current = obj;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }

            current = next;
        }

        current[parts[^1]] = value;
    }

    private static string[] Parts(string path) => path.Split('.', StringSplitOptions.RemoveEmptyEntries);
}
