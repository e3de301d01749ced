using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// The apiserver's defaulting: a missing field gets its default; a null in a non-nullable field is replaced by
/// the default, or dropped when there is none (nullable fields keep their nulls). Runs recursively, so defaults
/// nested inside a defaulted object (for example <c>default: {}</c>) are filled in too.
/// </summary>
internal static class Defaulter
{
    public static void Apply(JsonNode? value, SchemaNode schema)
    {
        switch (value)
        {
            case JsonObject obj:
                ApplyToObject(obj, schema);
                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null && !items.Nullable && items.HasDefault)
                    {
                        array[i] = items.Default?.DeepClone();
                    }
                    Apply(array[i], items);
                }
                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, SchemaNode schema)
    {
        foreach (var (name, property) in schema.Properties)
        {
            var present = obj.TryGetPropertyValue(name, out var current);
            if (present && current is null && !property.Nullable)
            {
                obj.Remove(name);
                present = false;
            }
            if (!present && property.HasDefault)
            {
                obj[name] = property.Default?.DeepClone();
            }
        }

        if (schema.AdditionalProperties is { } valueSchema)
        {
            foreach (var key in obj.Where(p => p.Value is null && !schema.Properties.ContainsKey(p.Key)).Select(p => p.Key).ToList())
            {
                if (valueSchema.Nullable)
                {
                    continue;
                }
                if (valueSchema.HasDefault)
                {
                    obj[key] = valueSchema.Default?.DeepClone();
                }
                else
                {
                    obj.Remove(key);
                }
            }
        }

        foreach (var (name, child) in obj.ToList())
        {
            var childSchema = schema.Properties.GetValueOrDefault(name) ?? schema.AdditionalProperties;
            if (childSchema is not null)
            {
                Apply(child, childSchema);
            }
        }
    }
}
