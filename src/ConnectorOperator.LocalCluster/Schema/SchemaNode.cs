using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>One node of a parsed structural schema; immutable after <see cref="SchemaParser"/> builds it.</summary>
internal sealed class SchemaNode
{
    public string? Type { get; init; }
    public bool Nullable { get; init; }
    public IReadOnlyDictionary<string, SchemaNode> Properties { get; init; } = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
    public SchemaNode? Items { get; init; }
    /// <summary>The value schema of a map (<c>additionalProperties: {schema}</c>).</summary>
    public SchemaNode? AdditionalProperties { get; init; }
    /// <summary><c>additionalProperties: true</c>: any extra keys with any values.</summary>
    public bool AdditionalPropertiesAnyValue { get; init; }
    public IReadOnlyList<string> Required { get; init; } = [];
    public IReadOnlyList<JsonNode?>? Enum { get; init; }
    public bool HasDefault { get; init; }
    public JsonNode? Default { get; init; }
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    public bool ExclusiveMinimum { get; init; }
    public bool ExclusiveMaximum { get; init; }
    public double? MultipleOf { get; init; }
    public long? MinLength { get; init; }
    public long? MaxLength { get; init; }
    public long? MinItems { get; init; }
    public long? MaxItems { get; init; }
    public long? MinProperties { get; init; }
    public long? MaxProperties { get; init; }
    public string? PatternText { get; init; }
    public Regex? Pattern { get; init; }
    public string? Format { get; init; }
    public string? Description { get; init; }
    public bool PreserveUnknownFields { get; init; }
    public bool IntOrString { get; init; }
    public bool EmbeddedResource { get; init; }
    /// <summary>x-kubernetes-list-type: atomic, set or map (null when unspecified, which behaves as atomic).</summary>
    public string? ListType { get; init; }
    public IReadOnlyList<string> ListMapKeys { get; init; } = [];
    public string? MapType { get; init; }
    public IReadOnlyList<ValidationRule> Rules { get; init; } = [];

    /// <summary>How CEL sees values of this subtree (ints vs doubles, timestamps, ...); built once on first use.</summary>
    public JsonNode? CelTypeHint => _celTypeHint.Value;

    private readonly Lazy<JsonNode?> _celTypeHint;

    public SchemaNode()
    {
        _celTypeHint = new Lazy<JsonNode?>(() => CelTypeHints.For(this));
    }

    /// <summary>The schema type name CEL errors report as the bad value ("object", "string", ...).</summary>
    public string TypeNameForErrors => Type ?? "";
}
