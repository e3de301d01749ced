using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Selectors;

/// <summary>A parsed label selector: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>, comma-joined.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    /// <exception cref="ApiStatusException">400 BadRequest when the selector does not parse.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>A canonical text form (identifies the selector, e.g. for continue tokens).</summary>
    public override string ToString() =>
        string.Join(",", _requirements.Select(r => $"{r.Key} {r.Op} ({string.Join(",", r.Values)})"));

    /// <summary>A meta/v1 LabelSelector object (matchLabels, matchExpressions); null selects nothing, empty selects everything.</summary>
    public static LabelSelector? FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var requirements = new List<Requirement>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add(new Requirement(key, Operator.Equals, [value?.ToString() ?? string.Empty]));
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var op = expression["operator"]?.ToString() switch
            {
                "In" => Operator.In,
                "NotIn" => Operator.NotIn,
                "Exists" => Operator.Exists,
                "DoesNotExist" => Operator.DoesNotExist,
                var other => throw StatusObjects.BadRequest($"\"{other}\" is not a valid label selector operator"),
            };
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? string.Empty).ToList();
            requirements.Add(new Requirement(expression["key"]?.ToString() ?? string.Empty, op, values));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _requirements.All(r => r.Matches(labels));
    }

    // Commas separate terms except inside the parentheses of in/notin.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseTerm(string term, string whole)
    {
        if (term.Length == 0)
        {
            throw Invalid(whole);
        }

        if (term.StartsWith('!'))
        {
            return new Requirement(CheckKey(term[1..].Trim(), whole), Operator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var at = term.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = term[(at + token.Length)..].Trim();
                return new Requirement(CheckKey(term[..at].Trim(), whole), op, [value]);
            }
        }

        var parts = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 1)
        {
            return new Requirement(CheckKey(parts[0], whole), Operator.Exists, []);
        }

        var rest = parts[1];
        var setOp = rest.StartsWith("notin", StringComparison.Ordinal) ? Operator.NotIn
            : rest.StartsWith("in", StringComparison.Ordinal) ? Operator.In
            : throw Invalid(whole);
        var open = rest.IndexOf('(', StringComparison.Ordinal);
        var close = rest.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            throw Invalid(whole);
        }

        var values = rest[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries);
        return new Requirement(CheckKey(parts[0], whole), setOp, values);
    }

    private static string CheckKey(string key, string whole) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '=') ? throw Invalid(whole) : key;

    private static ApiStatusException Invalid(string text) =>
        StatusObjects.BadRequest($"unable to parse requirement: invalid label selector: \"{text}\"");

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(JsonObject? labels)
        {
            string? value = null;
            var present = labels is not null && labels.TryGetPropertyValue(Key, out var node) && (value = node?.GetValue<string>()) is not null;
            return Op switch
            {
                Operator.Equals or Operator.In => present && Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => !present || !Values.Contains(value),
                Operator.Exists => present,
                _ => !present,
            };
        }
    }
}
