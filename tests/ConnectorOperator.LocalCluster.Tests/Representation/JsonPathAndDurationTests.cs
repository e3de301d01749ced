using ConnectorOperator.LocalCluster.Representation;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Representation;

public sealed class JsonPathAndDurationTests
{
    private const string Doc = """
        {"status":{"conditions":[{"type":"A","status":"False","n":1},{"type":"Ready","status":"True","n":2}]},
         "spec":{"items":[{"name":"x"},{"name":"y"}],"dotted.key":"d"}}
        """;

    [Theory]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData(".status.conditions[?(@.type=='A')].status", "False")]
    [InlineData(".status.conditions[?(@.n==2)].type", "Ready")]
    [InlineData(".status.conditions[?(@.type!='A')].type", "Ready")]
    [InlineData(".spec.items[1].name", "y")]
    [InlineData(".spec.items[-1].name", "y")]
    [InlineData(".spec.items[*].name", "x")]
    [InlineData("{.spec['dotted.key']}", "d")]
    [InlineData("$.spec.items[0].name", "x")]
    public void Supported_expressions_find_the_value(string expression, string expected) =>
        Assert.Equal(expected, (string?)JsonPathQuery.Parse(expression).EvaluateFirst(Parse(Doc)));

    [Fact]
    public void Wildcards_return_every_match_and_missing_paths_none()
    {
        Assert.Equal(2, JsonPathQuery.Parse(".spec.items[*].name").Evaluate(Parse(Doc)).Count);
        Assert.Empty(JsonPathQuery.Parse(".spec.nothing.here").Evaluate(Parse(Doc)));
        Assert.Null(JsonPathQuery.Parse(".status.conditions[?(@.type==\"Gone\")].status").EvaluateFirst(Parse(Doc)));
    }

    [Theory]
    [InlineData("spec")]
    [InlineData(".a[")]
    [InlineData(".a[?(@.b==)]")]
    public void Unsupported_expressions_are_rejected(string expression) =>
        Assert.Throws<FormatException>(() => JsonPathQuery.Parse(expression));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(30 * 86400, "30d")]
    [InlineData(3 * 365 * 86400 + 86400, "3y1d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Human_durations_match_the_apiserver(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
