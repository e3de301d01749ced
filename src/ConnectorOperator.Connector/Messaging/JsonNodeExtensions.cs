using System.Text.Json.Nodes;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>Lenient reads of bot content and API answers held as nodes: an odd value is null, never an exception.</summary>
internal static class JsonNodeExtensions
{
    /// <summary>The node's text when it is a JSON string, else null.</summary>
    public static string? Str(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// The node and every node below it, depth first in document order. A node's children are read when
    /// the walk moves past it, so the caller may change the node it was just given.
    /// </summary>
    public static IEnumerable<JsonNode> DescendantsAndSelf(this JsonNode? root)
    {
        if (root is null)
        {
            yield break;
        }

        var pending = new Stack<JsonNode>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            yield return node;
            IEnumerable<JsonNode?> children = node switch
            {
                JsonObject obj => obj.Select(p => p.Value),
                JsonArray array => array,
                _ => [],
            };
            foreach (var child in children.Reverse())
            {
                if (child is not null)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
