using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>
/// A path to one field, in the element spelling of FieldsV1: <c>f:name</c> (struct/map field),
/// <c>k:{"name":"x"}</c> (associative list item), <c>v:"x"</c> (set item) and <c>i:0</c> (list item by index).
/// </summary>
internal sealed class FieldPath : IEquatable<FieldPath>
{
    public static readonly FieldPath Root = new([]);

    private readonly string[] _elements;
    private readonly int _hash;

    private FieldPath(string[] elements)
    {
        _elements = elements;
        var hash = new HashCode();
        foreach (var element in elements)
        {
            hash.Add(element, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public IReadOnlyList<string> Elements => _elements;

    public int Length => _elements.Length;

    public FieldPath Parent => new(_elements[..^1]);

    public FieldPath Append(string element) => new([.. _elements, element]);

    public FieldPath Field(string name) => Append("f:" + name);

    public FieldPath Key(string mergeKey, JsonNode? value) =>
        Append("k:" + new JsonObject { [mergeKey] = value?.DeepClone() }.ToJsonString());

    public FieldPath Value(JsonNode? value) => Append("v:" + (value?.ToJsonString() ?? "null"));

    /// <summary>The field names along the path, list items skipped: the form <see cref="BuiltInListStrategies"/> looks up.</summary>
    public string FieldNames() =>
        string.Join('.', _elements.Where(e => e.StartsWith("f:", StringComparison.Ordinal)).Select(e => e[2..]));

    /// <summary>The apiserver's spelling in conflict messages: <c>.spec.containers[name="main"].image</c>.</summary>
    public override string ToString() => string.Concat(_elements.Select(Describe));

    private static string Describe(string element) => element[..2] switch
    {
        "f:" => "." + element[2..],
        "k:" when JsonNode.Parse(element[2..]) is JsonObject key =>
            "[" + string.Join(',', key.Select(p => p.Key + "=" + (p.Value?.ToJsonString() ?? "null"))) + "]",
        "v:" => "[=" + element[2..] + "]",
        "i:" => "[" + element[2..] + "]",
        _ => element,
    };

    public bool Equals(FieldPath? other) =>
        other is not null && _hash == other._hash && _elements.AsSpan().SequenceEqual(other._elements);

    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    public override int GetHashCode() => _hash;
}
