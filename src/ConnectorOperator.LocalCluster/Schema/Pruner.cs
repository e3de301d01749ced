using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// Drops fields the schema does not declare. apiVersion, kind and metadata survive at the root and in embedded
/// resources (metadata is kept as sent); x-kubernetes-preserve-unknown-fields keeps unknown keys, whose values are
/// still pruned where a schema for them exists; <c>additionalProperties: true</c> keeps any extra key untouched.
/// </summary>
internal static class Pruner
{
    private static readonly HashSet<string> TypeMetaAndMetadata = ["apiVersion", "kind", "metadata"];

    public static void PruneRoot(JsonObject obj, SchemaNode schema) => PruneObject(obj, schema, keepTypeMeta: true);

    private static void Prune(JsonNode? value, SchemaNode schema)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(obj, schema, keepTypeMeta: schema.EmbeddedResource);
                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var item in array)
                {
                    Prune(item, items);
                }
                break;
        }
    }

    private static void PruneObject(JsonObject obj, SchemaNode schema, bool keepTypeMeta)
    {
        foreach (var (name, child) in obj.ToList())
        {
            if (schema.Properties.TryGetValue(name, out var property))
            {
                if (!(keepTypeMeta && name == "metadata"))
                {
                    Prune(child, property);
                }
            }
            else if (keepTypeMeta && TypeMetaAndMetadata.Contains(name))
            {
                // Type and object metadata are the apiserver's, not the schema's, to keep or reject.
            }
            else if (schema.AdditionalProperties is { } valueSchema)
            {
                Prune(child, valueSchema);
            }
            else if (!schema.AdditionalPropertiesAnyValue && !schema.PreserveUnknownFields)
            {
                obj.Remove(name);
            }
        }
    }
}
