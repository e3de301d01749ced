using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Tests.Patching;

internal static class JsonAssert
{
    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    public static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    public static void Equal(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(JsonNodes.DeepEquals(expected, actual), $"expected {expected?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
    }
}
