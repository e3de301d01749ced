using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>What a case must be refused for. Malformed fields (a wrong JSON type) only the API server can refuse.</summary>
internal sealed record Expectation(IReadOnlyList<string> Invalid, IReadOnlyList<string> Malformed)
{
    public bool Valid => Invalid.Count == 0 && Malformed.Count == 0;

    public IEnumerable<string> All => Invalid.Concat(Malformed);

    /// <summary>A reported field names an expected one when it is that field, inside it, or (not the whole spec) around it.</summary>
    public bool Names(string reported) => All.Any(expected => Within(reported, expected) || (reported.Contains('.') && Within(expected, reported)));

    private static bool Within(string path, string outer) =>
        path == outer || (path.StartsWith(outer, StringComparison.Ordinal) && path.Length > outer.Length && path[outer.Length] is '.' or '[');
}

/// <summary>
/// Judges a spec from the documented field rules alone, independently of the CRD and the SpecValidator it checks:
/// every catalogued field, every map entry, and the cross-field rules of Production and scaling.
/// </summary>
internal static partial class SpecOracle
{
    public static Expectation Judge(JsonObject spec)
    {
        var invalid = new List<string>();
        var malformed = new List<string>();
        foreach (var field in FuzzFields.All)
        {
            foreach (var path in SpecPath.Expand(spec, field.Path))
            {
                var name = SpecPath.Name(path);
                switch (JudgeField(spec, field, path))
                {
                    case Verdict.Invalid:
                        invalid.Add(name);
                        break;
                    case Verdict.Malformed:
                        malformed.Add(name);
                        break;
                    case Verdict.Fine when field.Kind == FieldKind.Map && SpecPath.Get(spec, path) is JsonObject map:
                        JudgeMap(map, name, invalid, malformed);
                        break;
                }
            }
        }
        CrossFieldRules(spec, invalid);
        return new Expectation(invalid.Distinct().ToList(), malformed.Distinct().ToList());
    }

    private enum Verdict
    {
        Fine,
        Invalid,
        Malformed,
    }

    private static Verdict JudgeField(JsonObject spec, FuzzField field, IReadOnlyList<object> path)
    {
        if (SpecPath.Parent(spec, path) is not (JsonObject or JsonArray))
        {
            return Verdict.Fine; // its parent is missing or malformed and is judged itself
        }
        var value = SpecPath.Get(spec, path);
        if (value is null)
        {
            // The API server drops a null in a non-nullable property before validating; a null list item stays.
            return path[^1] is int ? Verdict.Malformed : field.Required ? Verdict.Invalid : Verdict.Fine;
        }
        if (!HasKind(value, field))
        {
            return Verdict.Malformed;
        }
        return IsInDomain(value, field) ? Verdict.Fine : Verdict.Invalid;
    }

    private static bool HasKind(JsonNode value, FuzzField field) => field.Kind switch
    {
        _ when field.IsString => value.GetValueKind() == JsonValueKind.String,
        FieldKind.Integer => value.GetValueKind() == JsonValueKind.Number && IsIntegerLiteral(value.ToJsonString()),
        FieldKind.Flag => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        FieldKind.Nested or FieldKind.Map => value is JsonObject,
        FieldKind.List => value is JsonArray,
        _ => false,
    };

    private static bool IsInDomain(JsonNode value, FuzzField field)
    {
        switch (field.Kind)
        {
            case FieldKind.Integer:
                var number = BigInteger.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
                return number >= field.Min && number <= field.Max;
            case FieldKind.List:
                var count = ((JsonArray)value).Count;
                return count >= field.Min && (field.Max == 0 || count <= field.Max);
            case FieldKind.Map:
                return field.Max == 0 || ((JsonObject)value).Count <= field.Max;
            case FieldKind.Choice:
                return field.Values!.Contains(value.GetValue<string>(), StringComparer.Ordinal);
            case FieldKind.Flag or FieldKind.Nested:
                return true;
            default:
                return IsValidString(value.GetValue<string>(), field.Kind, field.Max);
        }
    }

    public static bool IsValidString(string text, FieldKind kind, long max)
    {
        if (Runes(text) is not { } runes || runes.Count > max)
        {
            return false;
        }
        return kind switch
        {
            FieldKind.Identifier => runes.Count > 0 && runes.All(IsVisible),
            FieldKind.OptionalIdentifier => runes.All(IsVisible),
            FieldKind.Digits => runes.Count > 0 && runes.All(r => r.Value is >= '0' and <= '9'),
            FieldKind.DnsName => DnsName().IsMatch(text),
            FieldKind.SecretKey => SecretKey().IsMatch(text),
            FieldKind.HttpUrl or FieldKind.WebhookUrl => Scheme(text) is { } scheme && text.Length > scheme.Length && runes.All(IsVisible),
            FieldKind.Text => runes.All(r => r.Value is '\t' or '\n' || Rune.GetUnicodeCategory(r) != UnicodeCategory.Control),
            FieldKind.LabelValue => LabelValue().IsMatch(text),
            FieldKind.Quantity => Quantity().IsMatch(text),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static void JudgeMap(JsonObject map, string name, List<string> invalid, List<string> malformed)
    {
        var (kind, max) = FuzzFields.MapValues(name);
        foreach (var (key, value) in map)
        {
            if (value is null) continue; // dropped by the API server
            if (value.GetValueKind() != JsonValueKind.String)
            {
                malformed.Add(name);
                continue;
            }
            var text = value.GetValue<string>();
            if (!IsValidString(key, FieldKind.Identifier, int.MaxValue) || !IsValidString(text, kind, max))
            {
                invalid.Add(name);
            }
            else if (name == "spec.customConfiguration" && CustomConfigurationCatalogue.TryGet(key, out var entry)
                && (entry.IsReserved || entry.Validate(text) is not null))
            {
                invalid.Add(name);
            }
        }
    }

    private static void CrossFieldRules(JsonObject spec, List<string> invalid)
    {
        var production = Text(spec["environment"]) == "Production";
        var users = spec["agentUsers"] as JsonArray;
        var scaling = spec["scaling"] as JsonObject;
        var min = Integer(scaling?["minReplicas"]);
        var max = Integer(scaling?["maxReplicas"]);
        if (production && users is not null && users.Count < 2) invalid.Add("spec.agentUsers");
        if (production && min < 2) invalid.Add("spec.scaling.minReplicas");
        if (min is not null && max is not null && max < min) invalid.Add("spec.scaling.maxReplicas");
        if (Text((spec["externalWebhook"] as JsonObject)?["url"]) is { } url && Scheme(url) is var scheme && (scheme is null || (production && scheme != "https://")))
        {
            invalid.Add("spec.externalWebhook.url");
        }
        var logins = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (users?.Count ?? 0); i++)
        {
            if (Text((users![i] as JsonObject)?["loginName"]) is { } login && !logins.Add(login)) invalid.Add($"spec.agentUsers[{i}]");
        }
    }

    private static string? Scheme(string url) =>
        url.StartsWith("https://", StringComparison.Ordinal) ? "https://" : url.StartsWith("http://", StringComparison.Ordinal) ? "http://" : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static BigInteger? Integer(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && IsIntegerLiteral(v.ToJsonString()) ? BigInteger.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static bool IsIntegerLiteral(string json) => IntegerLiteral().IsMatch(json);

    private static bool IsVisible(Rune rune) => Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    /// <summary>The code points; null when a surrogate is unpaired.</summary>
    private static List<Rune>? Runes(string text)
    {
        var runes = new List<Rune>();
        for (var i = 0; i < text.Length; i += runes[^1].Utf16SequenceLength)
        {
            if (!Rune.TryGetRuneAt(text, i, out var rune)) return null;
            runes.Add(rune);
        }
        return runes;
    }

    [GeneratedRegex(@"\A-?[0-9]+\z")]
    private static partial Regex IntegerLiteral();

    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9.]*[a-z0-9])?\z")]
    private static partial Regex DnsName();

    [GeneratedRegex(@"\A[-._a-zA-Z0-9]+\z")]
    private static partial Regex SecretKey();

    /// <summary>apimachinery's quantity syntax (resource.Quantity's OpenAPI pattern).</summary>
    [GeneratedRegex(@"\A(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?\z")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"\A(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\z")]
    private static partial Regex LabelValue();
}
