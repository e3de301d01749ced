using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Selectors;

/// <summary>A parsed field selector (<c>metadata.name=x,spec.nodeName!=</c>); only the fields a resource supports.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Path, bool Equal, string Value)> _terms;
    private readonly Func<JsonObject, string, string?>? _reader;

    private FieldSelector(IReadOnlyList<(string Path, bool Equal, string Value)> terms, Func<JsonObject, string, string?>? reader)
    {
        _terms = terms;
        _reader = reader;
    }

    public static FieldSelector Everything { get; } = new([], null);

    /// <exception cref="ApiStatusException">400 when it does not parse or names an unsupported field.</exception>
    public static FieldSelector Parse(string? text, ResourceType resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (at, length, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var eq2 and > 0 ? (eq2, 2, true)
                : term.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (eq, 1, true)
                : throw StatusObjects.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            var path = term[..at].Trim();
            if (path is not ("metadata.name" or "metadata.namespace") && !resource.SelectableFields.Contains(path))
            {
                throw StatusObjects.BadRequest($"field label not supported: {path}");
            }

            terms.Add((path, equal, term[(at + length)..].Trim()));
        }

        return new FieldSelector(terms, resource.SelectableFieldReader);
    }

    /// <summary>A canonical text form (identifies the selector, e.g. for continue tokens).</summary>
    public override string ToString() => string.Join(",", _terms.Select(t => $"{t.Path}{(t.Equal ? "=" : "!=")}{t.Value}"));

    /// <summary>Whether a stored object matches (labels the resource renames or computes are read through its reader).</summary>
    public bool Matches(JsonObject obj) => _terms.All(t => ((_reader?.Invoke(obj, t.Path) ?? JsonNodes.SelectorValue(obj, t.Path)) == t.Value) == t.Equal);
}
