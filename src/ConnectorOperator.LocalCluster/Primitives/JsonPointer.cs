using System.Globalization;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>RFC 6901 JSON Pointer: "/a/b~1c/0" with ~1 for '/' and ~0 for '~'.</summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public string LastToken => Tokens[^1];

    /// <summary>Throws 400 for a pointer that is not syntactically valid.</summary>
    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw new PatchException(400, $"invalid JSON pointer \"{text}\": must be empty or start with '/'");
        }

        var tokens = text[1..].Split('/').Select(Unescape).ToArray();
        return new JsonPointer(text, tokens);
    }

    private static string Unescape(string token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && (i + 1 >= token.Length || (token[i + 1] != '0' && token[i + 1] != '1')))
            {
                throw new PatchException(400, $"invalid JSON pointer token \"{token}\": '~' must be followed by 0 or 1");
            }
        }

        // Order matters: "~01" means "~1" literally, so ~1 is decoded before ~0.
        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }

    /// <summary>True when this pointer lies strictly inside <paramref name="other"/>.</summary>
    public bool IsStrictlyInside(JsonPointer other) =>
        Tokens.Count > other.Tokens.Count && other.Tokens.Select((t, i) => t == Tokens[i]).All(same => same);

    /// <summary>The node that holds the last token, or null when it does not exist.</summary>
    public JsonNode? ResolveParent(JsonNode root)
    {
        JsonNode? current = root;
        for (var i = 0; i < Tokens.Count - 1 && current is not null; i++)
        {
            current = Child(current, Tokens[i], out var found);
            if (!found)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Finds the target; <paramref name="found"/> distinguishes a missing member from a JSON null.</summary>
    public JsonNode? Resolve(JsonNode root, out bool found)
    {
        found = true;
        JsonNode? current = root;
        foreach (var token in Tokens)
        {
            if (current is null)
            {
                found = false;
                return null;
            }

            current = Child(current, token, out found);
            if (!found)
            {
                return null;
            }
        }

        return current;
    }

    private static JsonNode? Child(JsonNode node, string token, out bool found)
    {
        switch (node)
        {
            case JsonObject obj:
                found = obj.TryGetPropertyValue(token, out var value);
                return value;
            case JsonArray array:
                var index = ArrayIndex(token);
                found = index is not null && index < array.Count;
                return found ? array[index!.Value] : null;
            default:
                found = false;
                return null;
        }
    }

    /// <summary>An array index token: digits without leading zeros; null for anything else (including "-").</summary>
    public static int? ArrayIndex(string token)
    {
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return null;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    public override string ToString() => Text;
}
