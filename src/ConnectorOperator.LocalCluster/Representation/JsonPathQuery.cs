using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0].b</c>, <c>.a[*].b</c>, <c>['a.b']</c> and filters
/// <c>[?(@.type=="Ready")]</c> with == or != against a string, number or boolean (or a bare <c>@.x</c> for "present").
/// An optional surrounding <c>{...}</c> and leading <c>$</c> are accepted.
/// </summary>
internal sealed class JsonPathQuery
{
    private readonly IReadOnlyList<Segment> _segments;

    private JsonPathQuery(IReadOnlyList<Segment> segments) => _segments = segments;

    private abstract record Segment;

    private sealed record FieldSegment(string Name) : Segment;

    private sealed record IndexSegment(int Index) : Segment;

    private sealed record WildcardSegment : Segment;

    private sealed record FilterSegment(IReadOnlyList<Segment> Operand, string? Operator, JsonNode? Literal) : Segment;

    /// <exception cref="FormatException">The expression is outside the supported subset.</exception>
    public static JsonPathQuery Parse(string expression)
    {
        var text = expression.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1].Trim();
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        var position = 0;
        var segments = ParseSegments(text, ref position, stopAtOperator: false);
        if (position != text.Length)
        {
            throw new FormatException($"unsupported JSONPath \"{expression}\" at offset {position}");
        }

        return new JsonPathQuery(segments);
    }

    /// <summary>Every match, in document order; JSON nulls are not matches.</summary>
    public IReadOnlyList<JsonNode> Evaluate(JsonNode? root) => Evaluate(_segments, root);

    /// <summary>The first match, or null: printer columns show one value per cell.</summary>
    public JsonNode? EvaluateFirst(JsonNode? root) => Evaluate(_segments, root) is [var first, ..] ? first : null;

    private static List<JsonNode> Evaluate(IReadOnlyList<Segment> segments, JsonNode? root)
    {
        var current = root is null ? new List<JsonNode>() : [root];
        foreach (var segment in segments)
        {
            var next = new List<JsonNode>();
            foreach (var node in current)
            {
                Step(segment, node, next);
            }

            current = next;
        }

        return current;
    }

    private static void Step(Segment segment, JsonNode node, List<JsonNode> output)
    {
        switch (segment)
        {
            case FieldSegment field when node is JsonObject obj && obj[field.Name] is { } value:
                output.Add(value);
                break;
            case IndexSegment index when node is JsonArray array:
                var i = index.Index < 0 ? array.Count + index.Index : index.Index;
                if (i >= 0 && i < array.Count && array[i] is { } item)
                {
                    output.Add(item);
                }

                break;
            case WildcardSegment when node is JsonArray array:
                output.AddRange(array.OfType<JsonNode>());
                break;
            case WildcardSegment when node is JsonObject obj:
                output.AddRange(obj.Select(p => p.Value).OfType<JsonNode>());
                break;
            case FilterSegment filter when node is JsonArray array:
                output.AddRange(array.OfType<JsonNode>().Where(element => Matches(filter, element)));
                break;
        }
    }

    private static bool Matches(FilterSegment filter, JsonNode element)
    {
        var operand = Evaluate(filter.Operand, element) is [var first, ..] ? first : null;
        return filter.Operator switch
        {
            null => operand is not null,
            "==" => JsonNodes.DeepEquals(operand, filter.Literal),
            _ => !JsonNodes.DeepEquals(operand, filter.Literal),
        };
    }

    private static List<Segment> ParseSegments(string text, ref int position, bool stopAtOperator)
    {
        var segments = new List<Segment>();
        while (position < text.Length)
        {
            var c = text[position];
            if (stopAtOperator && (c is '=' or '!' or ')' || char.IsWhiteSpace(c)))
            {
                break;
            }

            if (c == '.')
            {
                position++;
                if (position < text.Length && text[position] == '*')
                {
                    position++;
                    segments.Add(new WildcardSegment());
                    continue;
                }

                var start = position;
                while (position < text.Length && text[position] is not ('.' or '[' or '=' or '!' or ')') && !char.IsWhiteSpace(text[position]))
                {
                    position++;
                }

                if (position == start)
                {
                    throw new FormatException("empty field name in JSONPath");
                }

                segments.Add(new FieldSegment(text[start..position]));
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket(text, ref position));
            }
            else
            {
                throw new FormatException($"unexpected '{c}' in JSONPath");
            }
        }

        return segments;
    }

    private static Segment ParseBracket(string text, ref int position)
    {
        var close = text.IndexOf(']', position);
        if (close < 0)
        {
            throw new FormatException("unterminated '[' in JSONPath");
        }

        if (text[position + 1] == '?')
        {
            return ParseFilter(text, ref position);
        }

        var inner = text[(position + 1)..close].Trim();
        position = close + 1;
        if (inner == "*")
        {
            return new WildcardSegment();
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return new FieldSegment(inner[1..^1]);
        }

        return int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index)
            ? new IndexSegment(index)
            : throw new FormatException($"unsupported JSONPath subscript [{inner}]");
    }

    private static FilterSegment ParseFilter(string text, ref int position)
    {
        // [?(@.a.b OP literal)]
        position += 2;
        Expect(text, ref position, '(');
        SkipSpaces(text, ref position);
        Expect(text, ref position, '@');
        var operand = ParseSegments(text, ref position, stopAtOperator: true);
        SkipSpaces(text, ref position);
        string? op = null;
        JsonNode? literal = null;
        if (position + 1 < text.Length && text.Substring(position, 2) is "==" or "!=")
        {
            op = text.Substring(position, 2);
            position += 2;
            SkipSpaces(text, ref position);
            literal = ParseLiteral(text, ref position);
            SkipSpaces(text, ref position);
        }

        Expect(text, ref position, ')');
        Expect(text, ref position, ']');
        return new FilterSegment(operand, op, literal);
    }

    private static JsonNode? ParseLiteral(string text, ref int position)
    {
        if (position < text.Length && text[position] is '\'' or '"')
        {
            var quote = text[position];
            var end = text.IndexOf(quote, position + 1);
            if (end < 0)
            {
                throw new FormatException("unterminated string in JSONPath filter");
            }

            var value = text[(position + 1)..end];
            position = end + 1;
            return JsonValue.Create(value);
        }

        var start = position;
        while (position < text.Length && text[position] is not (')' or ' '))
        {
            position++;
        }

        var token = text[start..position];
        try
        {
            return JsonNode.Parse(token);
        }
        catch (JsonException)
        {
            throw new FormatException($"unsupported literal \"{token}\" in JSONPath filter");
        }
    }

    private static void Expect(string text, ref int position, char expected)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw new FormatException($"expected '{expected}' at offset {position} of JSONPath");
        }

        position++;
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
