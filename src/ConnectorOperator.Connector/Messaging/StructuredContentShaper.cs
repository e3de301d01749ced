using System.Text.Json.Nodes;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// Turns a bot's structured content into the rich-content events to publish: a list of tiles becomes
/// one horizontal carousel or separate vertical cards (tileDisplay); with accessibility on, buttons and
/// images get a tooltip from their title.
/// </summary>
public static class StructuredContentShaper
{
    public static IReadOnlyList<JsonNode> Shape(JsonNode content, string tileDisplay, bool accessibility)
    {
        ArgumentNullException.ThrowIfNull(content);
        var copy = content.DeepClone();
        if (accessibility)
        {
            AddTooltips(copy);
        }

        if (copy is not JsonArray tiles)
        {
            return [copy];
        }

        // The tiles belong to this method's own copy: detach them rather than copy each again.
        var elements = tiles.OfType<JsonNode>().ToList();
        tiles.Clear();
        if (string.Equals(tileDisplay, "horizontal", StringComparison.Ordinal) && elements.Count > 1)
        {
            return [new JsonObject { ["type"] = "carousel", ["padding"] = 10, ["elements"] = new JsonArray([.. elements]) }];
        }

        return elements;
    }

    /// <summary>
    /// The buttons of structured content that carry a postback value, by the text a click publishes
    /// (the publishText action's text, else the title).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Postbacks(JsonNode content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        CollectPostbacks(content, found);
        return found;
    }

    private static void CollectPostbacks(JsonNode? node, Dictionary<string, string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                if (Str(obj["type"]) == "button" && obj["click"] is JsonObject click)
                {
                    var actions = (click["actions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                    var label = actions.Where(a => Str(a["type"]) == "publishText").Select(a => Str(a["text"])).FirstOrDefault(t => t is not null)
                        ?? Str(obj["title"]);
                    var value = actions.Where(a => Str(a["type"]) == "postback").Select(a => Str(a["value"]) ?? Str(a["text"])).FirstOrDefault(v => v is not null)
                        ?? (click["metadata"] as JsonArray)?.OfType<JsonObject>().Where(m => Str(m["type"]) == "ExternalId").Select(m => Str(m["id"])).FirstOrDefault(v => v is not null);
                    if (label is not null && value is not null)
                    {
                        found[label.Trim()] = value;
                    }
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    CollectPostbacks(child, found);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CollectPostbacks(child, found);
                }

                break;
            default:
                break;
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static void AddTooltips(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var type = obj["type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (type is "button" or "image" && obj["tooltip"] is null)
                {
                    var label = obj["title"] ?? obj["caption"];
                    if (label is JsonValue lv && lv.TryGetValue<string>(out var text) && text.Length > 0)
                    {
                        obj["tooltip"] = text;
                    }
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    AddTooltips(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    AddTooltips(child);
                }

                break;
            default:
                break;
        }
    }
}
