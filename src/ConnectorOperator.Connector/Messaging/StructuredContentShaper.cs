using System.Text.Json.Nodes;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// Turns a bot's structured content into the rich-content events to publish: a list of tiles becomes
/// one horizontal carousel or separate vertical cards (tileDisplay); with accessibility on, buttons and
/// images get a tooltip from their title; a button with a callback value publishes, as the consumer's choice,
/// that value or (enableButtonTextOnPostback) its label.
/// </summary>
public static class StructuredContentShaper
{
    public static IReadOnlyList<JsonNode> Shape(JsonNode content, string tileDisplay, bool accessibility, bool labelOnPostback = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        var copy = content.DeepClone();
        if (accessibility)
        {
            AddTooltips(copy);
        }

        SetChoiceTexts(copy, labelOnPostback);

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
        foreach (var (button, actions, value) in ButtonsWithPostback(content))
        {
            if ((PublishText(actions)?["text"].Str() ?? button["title"].Str()) is { } choice)
            {
                found[choice.Trim()] = value;
            }
        }

        return found;
    }

    /// <summary>What a click shows as the consumer's choice: the callback value by default, the label when asked.</summary>
    private static void SetChoiceTexts(JsonNode content, bool labelOnPostback)
    {
        foreach (var (button, actions, value) in ButtonsWithPostback(content).ToList())
        {
            var publish = PublishText(actions);
            var choice = labelOnPostback ? button["title"].Str() ?? publish?["text"].Str() ?? value : value;
            if (publish is not null)
            {
                publish["text"] = choice;
            }
            else
            {
                var list = button["click"]!["actions"] as JsonArray;
                if (list is null)
                {
                    list = [];
                    button["click"]!["actions"] = list;
                }

                list.Insert(0, new JsonObject { ["type"] = "publishText", ["text"] = choice });
            }
        }
    }

    private static IEnumerable<(JsonObject Button, List<JsonObject> Actions, string Value)> ButtonsWithPostback(JsonNode content)
    {
        foreach (var obj in content.DescendantsAndSelf().OfType<JsonObject>())
        {
            if (obj["type"].Str() == "button" && obj["click"] is JsonObject click)
            {
                var actions = (click["actions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                var value = actions.Where(a => a["type"].Str() == "postback").Select(a => a["value"].Str() ?? a["text"].Str()).FirstOrDefault(v => v is not null)
                    ?? (click["metadata"] as JsonArray)?.OfType<JsonObject>().Where(m => m["type"].Str() == "ExternalId").Select(m => m["id"].Str()).FirstOrDefault(v => v is not null);
                if (value is not null)
                {
                    yield return (obj, actions, value);
                }
            }
        }
    }

    private static JsonObject? PublishText(List<JsonObject> actions) => actions.FirstOrDefault(a => a["type"].Str() == "publishText");

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
