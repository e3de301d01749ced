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
        foreach (var obj in content.DescendantsAndSelf().OfType<JsonObject>())
        {
            if (obj["type"].Str() == "button" && obj["click"] is JsonObject click)
            {
                var actions = (click["actions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                var label = actions.Where(a => a["type"].Str() == "publishText").Select(a => a["text"].Str()).FirstOrDefault(t => t is not null)
                    ?? obj["title"].Str();
                var value = actions.Where(a => a["type"].Str() == "postback").Select(a => a["value"].Str() ?? a["text"].Str()).FirstOrDefault(v => v is not null)
                    ?? (click["metadata"] as JsonArray)?.OfType<JsonObject>().Where(m => m["type"].Str() == "ExternalId").Select(m => m["id"].Str()).FirstOrDefault(v => v is not null);
                if (label is not null && value is not null)
                {
                    found[label.Trim()] = value;
                }
            }
        }

        return found;
    }

    private static void AddTooltips(JsonNode content)
    {
        foreach (var obj in content.DescendantsAndSelf().OfType<JsonObject>())
        {
            if (obj["type"].Str() is "button" or "image" && obj["tooltip"] is null
                && (obj["title"] ?? obj["caption"]).Str() is { Length: > 0 } text)
            {
                obj["tooltip"] = text;
            }
        }
    }
}
