using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>
/// Decodes a request body eagerly, the way the apiserver's Go JSON decoder does: an unpaired surrogate escape
/// (<c>"\ud800"</c>) becomes U+FFFD, and of a repeated key the last value wins. System.Text.Json's lazy nodes
/// would instead throw on first use, deep inside a write, and turn a client's odd body into a 500.
/// </summary>
internal static class GoJsonDecoder
{
    /// <exception cref="JsonException">The body is not well-formed JSON.</exception>
    public static JsonNode? Parse(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of JSON input");
        }
        var node = ReadValue(ref reader);
        // Reading past the value throws on trailing content ("invalid character after top-level value").
        reader.Read();
        return node;
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = ReadString(ref reader);
                    reader.Read();
                    obj[name] = ReadValue(ref reader);
                }
                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader));
                }
                return array;
            case JsonTokenType.String:
                return JsonValue.Create(ReadString(ref reader));
            case JsonTokenType.Number:
                // Kept as written: a number beyond int64 or double is the schema's to refuse, not the decoder's.
                return JsonNode.Parse(reader.ValueSpan);
            case JsonTokenType.True or JsonTokenType.False:
                return JsonValue.Create(reader.GetBoolean());
            default:
                return null;
        }
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return Unescape(reader.ValueSpan);
        }
    }

    /// <summary>A string token's raw bytes (the reader has checked their syntax), with unpaired surrogates replaced.</summary>
    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (raw.Length > 0)
        {
            var escape = raw.IndexOf((byte)'\\');
            if (escape < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw));
                break;
            }
            text.Append(Encoding.UTF8.GetString(raw[..escape]));
            raw = raw[escape..];
            if (raw[1] != 'u')
            {
                text.Append(raw[1] switch { (byte)'b' => '\b', (byte)'f' => '\f', (byte)'n' => '\n', (byte)'r' => '\r', (byte)'t' => '\t', var c => (char)c });
                raw = raw[2..];
                continue;
            }
            var unit = Hex(raw[2..6]);
            raw = raw[6..];
            if (char.IsHighSurrogate(unit) && raw.Length >= 6 && raw[0] == '\\' && raw[1] == 'u' && char.IsLowSurrogate(Hex(raw[2..6])))
            {
                text.Append(unit).Append(Hex(raw[2..6]));
                raw = raw[6..];
            }
            else
            {
                text.Append(char.IsSurrogate(unit) ? '\uFFFD' : unit);
            }
        }
        return text.ToString();
    }

    private static char Hex(ReadOnlySpan<byte> digits) => (char)Convert.ToUInt16(Encoding.ASCII.GetString(digits), 16);
}
