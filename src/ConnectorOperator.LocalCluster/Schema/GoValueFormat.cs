using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// Prints bad values the way apimachinery's field.Error does (Go's %v / %q / json.Marshal on decoded JSON), so messages
/// read like a real apiserver's: strings quoted, numbers bare, objects and arrays as JSON with sorted keys.
/// </summary>
internal static class GoValueFormat
{
    /// <summary>The value as field.Error.ErrorBody prints it.</summary>
    public static string ErrorValue(JsonNode? node) => node switch
    {
        null => Quote("null"),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Quote(value.GetValue<string>()),
            _ => value.ToJsonString(),
        },
        _ => Json(node),
    };

    /// <summary>Go's json.Marshal of a decoded JSON value: compact, object keys sorted.</summary>
    public static string Json(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject obj:
                var entries = obj.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => JsonValue.Create(p.Key).ToJsonString() + ":" + Json(p.Value));
                return "{" + string.Join(",", entries) + "}";
            case JsonArray array:
                return "[" + string.Join(",", array.Select(Json)) + "]";
            default:
                return node.ToJsonString();
        }
    }

    /// <summary>Go's strconv.Quote for the characters that matter in messages.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Go's %v of a float64 bound taken from the schema (1 prints as "1", 0.5 as "0.5").</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
