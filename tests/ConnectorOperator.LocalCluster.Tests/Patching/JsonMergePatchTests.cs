using ConnectorOperator.LocalCluster.Writes.Patching;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Patching;

public sealed class JsonMergePatchTests
{
    // RFC 7386 appendix A, every example.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Rfc7386_appendix_examples_produce_the_documented_result(string target, string patch, string expected) =>
        Equal(expected, JsonMergePatch.Apply(Parse(target), Parse(patch)));

    [Fact]
    public void Inputs_are_left_unchanged()
    {
        var target = Obj("""{"metadata":{"labels":{"a":"1"}}}""");
        var patch = Obj("""{"metadata":{"labels":{"a":null,"b":"2"}}}""");

        var result = JsonMergePatch.Apply(target, patch);

        Equal("""{"metadata":{"labels":{"b":"2"}}}""", result);
        Equal("""{"metadata":{"labels":{"a":"1"}}}""", target);
        Equal("""{"metadata":{"labels":{"a":null,"b":"2"}}}""", patch);
    }
}
