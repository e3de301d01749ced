using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>Value semantics for JSON nodes (equality that ignores property order and number spelling, 1 == 1.0) and the reads every layer shares.</summary>
internal static class JsonNodes
{
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case JsonObject oa when b is JsonObject ob:
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa when b is JsonArray ab:
                if (aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!DeepEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValue va when b is JsonValue vb:
                return ValuesEqual(va, vb);
            default:
                return false;
        }
    }

    private static bool ValuesEqual(JsonValue a, JsonValue b)
    {
        var ka = a.GetValueKind();
        var kb = b.GetValueKind();
        if (ka != kb)
        {
            return false;
        }

        return ka switch
        {
            JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
            JsonValueKind.Number => NumberEquals(a, b),
            _ => true, // true, false and null carry no payload beyond their kind
        };
    }

    private static bool NumberEquals(JsonValue a, JsonValue b)
    {
        var ta = a.ToJsonString();
        var tb = b.ToJsonString();
        if (ta == tb)
        {
            return true;
        }

        if (decimal.TryParse(ta, NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
            && decimal.TryParse(tb, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
        {
            return da == db;
        }

        return double.Parse(ta, CultureInfo.InvariantCulture) == double.Parse(tb, CultureInfo.InvariantCulture);
    }

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static long? AsInteger(JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var text = v.ToJsonString();
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return (long)d;
            }
        }

        return null;
    }

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>The value at a dotted field path as field selectors compare it: strings as they are, other values as JSON, absent as "".</summary>
    public static string SelectorValue(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node switch
        {
            null => string.Empty,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
            _ => node.ToJsonString(),
        };
    }
}
