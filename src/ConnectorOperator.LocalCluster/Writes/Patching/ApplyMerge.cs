using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>Merges an apply configuration into the live object the way server-side apply does.</summary>
/// <remarks>
/// Maps merge field by field; associative lists merge item by item on their key (live order kept, new items appended);
/// set lists take the union; atomic lists and scalars are replaced. Nulls in the configuration are ignored
/// (simplification: the apiserver treats an explicit null as "unset" in most, not all, cases).
/// </remarks>
internal static class ApplyMerge
{
    /// <summary>Returns a new object; neither input is changed.</summary>
    public static JsonObject Merge(JsonObject live, JsonObject config, string kind)
    {
        var result = (JsonObject)live.DeepClone();
        MergeInto(result, config, FieldPath.Root, kind);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject config, FieldPath path, string kind)
    {
        foreach (var (key, value) in config)
        {
            if (value is null)
            {
                continue;
            }

            var childPath = path.Field(key);
            target.TryGetPropertyValue(key, out var existing);
            switch (value)
            {
                case JsonObject childConfig when existing is JsonObject childTarget:
                    MergeInto(childTarget, childConfig, childPath, kind);
                    break;
                case JsonArray listConfig when existing is JsonArray listTarget:
                    target[key] = MergeList(listTarget, listConfig, childPath, kind);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }

    private static JsonArray MergeList(JsonArray live, JsonArray config, FieldPath path, string kind)
    {
        var configStrategy = ObjectFields.StrategyOf(config, path, kind);
        var liveStrategy = ObjectFields.StrategyOf(live, path, kind);
        if (configStrategy != liveStrategy || configStrategy.Kind == ListMergeKind.Atomic)
        {
            return (JsonArray)config.DeepClone();
        }

        var result = (JsonArray)live.DeepClone();
        foreach (var item in config)
        {
            if (configStrategy.Kind == ListMergeKind.Set)
            {
                if (!result.Any(r => JsonNodes.DeepEquals(r, item)))
                {
                    result.Add(item?.DeepClone());
                }

                continue;
            }

            var key = configStrategy.MergeKey!;
            var itemConfig = (JsonObject)item!;
            var match = result.OfType<JsonObject>().FirstOrDefault(r => JsonNodes.DeepEquals(r[key], itemConfig[key]));
            if (match is null)
            {
                result.Add(itemConfig.DeepClone());
            }
            else
            {
                MergeInto(match, itemConfig, path.Key(key, itemConfig[key]), kind);
            }
        }

        return result;
    }
}
