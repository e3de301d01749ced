using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>
/// Reads JSON values the way the apiserver's decoder sees them: a number is an integer when its text parses
/// as int64, otherwise a float. Works for parsed nodes and for nodes built from CLR values alike.
/// </summary>
internal static class JsonValues
{
    /// <summary>The OpenAPI type name of a value: null, object, array, string, integer, number or boolean.</summary>
    public static string KindName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    public static string NumberText(JsonValue value) => value.ToJsonString();

    public static bool IsInteger(JsonValue value) =>
        long.TryParse(NumberText(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public static double AsDouble(JsonValue value) =>
        double.Parse(NumberText(value), NumberStyles.Float, CultureInfo.InvariantCulture);
}
