using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>Integer reads that work whether a number was parsed from JSON or set from an int or long in code.</summary>
internal static class JsonNumbers
{
    public static bool TryGetLong(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static long? Long(JsonNode? node) => TryGetLong(node, out var value) ? value : null;
}
