using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// Describes, for tools/cel/evaluate.mjs, which JSON values CEL must see as something other than their JSON shape:
/// integer fields as int (JSON has one number type), number fields as double even when integral, and the
/// string formats Kubernetes maps to CEL types (date-time/date → timestamp, duration → duration, byte → bytes).
/// Shape: {"t": kind, "p": {field: hint}, "i": itemsHint, "a": additionalPropertiesHint}; null when nothing applies.
/// </summary>
internal static class CelTypeHints
{
    public static JsonNode? For(SchemaNode schema)
    {
        var hint = new JsonObject();
        var kind = Kind(schema);
        if (kind is not null)
        {
            hint["t"] = kind;
        }

        var properties = new JsonObject();
        foreach (var (name, child) in schema.Properties)
        {
            if (child.CelTypeHint is { } childHint)
            {
                properties[name] = childHint.DeepClone();
            }
        }
        if (properties.Count > 0)
        {
            hint["p"] = properties;
        }
        if (schema.Items?.CelTypeHint is { } items)
        {
            hint["i"] = items.DeepClone();
        }
        if (schema.AdditionalProperties?.CelTypeHint is { } additional)
        {
            hint["a"] = additional.DeepClone();
        }
        return hint.Count == 0 ? null : hint;
    }

    private static string? Kind(SchemaNode schema)
    {
        if (schema.IntOrString)
        {
            return "intOrString";
        }
        return schema.Type switch
        {
            "integer" => "int",
            "number" => "double",
            "string" => schema.Format switch
            {
                "date-time" or "datetime" or "date" => "timestamp",
                "duration" => "duration",
                "byte" => "bytes",
                _ => null,
            },
            _ => null,
        };
    }
}
