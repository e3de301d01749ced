using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

internal static class Json
{
    public static JsonObject Obj(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("not a JSON object", nameof(json));

    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
