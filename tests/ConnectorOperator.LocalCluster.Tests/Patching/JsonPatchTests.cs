using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes.Patching;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Patching;

public sealed class JsonPatchTests
{
    private static JsonNode Apply(string target, string ops) =>
        JsonPatch.Apply(Parse(target)!, (JsonArray)Parse(ops)!);

    // RFC 6902 appendix A examples that succeed.
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("""{"a/b":{"m~n":1}}""", """[{"op":"copy","from":"/a~1b/m~0n","path":"/c"}]""", """{"a/b":{"m~n":1},"c":1}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":[1]}]""", """[1]""")]
    [InlineData("""{"n":1}""", """[{"op":"test","path":"/n","value":1.0}]""", """{"n":1}""")]
    public void Rfc6902_examples_apply(string target, string ops, string expected) =>
        Equal(expected, Apply(target, ops));

    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""")]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":"/b"}]""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"/b","value":2}]""")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/5","value":2}]""")]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""")]
    [InlineData("""{"metadata":{"finalizers":["x"]}}""", """[{"op":"test","path":"/metadata/finalizers/0","value":"y"},{"op":"remove","path":"/metadata/finalizers/0"}]""")]
    public void Operations_that_cannot_be_applied_fail_with_422(string target, string ops)
    {
        var error = Assert.Throws<PatchException>(() => Apply(target, ops));
        Assert.Equal(422, error.StatusCode);
    }

    [Theory]
    [InlineData("""[{"op":"frobnicate","path":"/a"}]""")]
    [InlineData("""[{"path":"/a","value":1}]""")]
    [InlineData("""[{"op":"add","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""")]
    [InlineData("""[42]""")]
    public void Malformed_operations_fail_with_400(string ops)
    {
        var error = Assert.Throws<PatchException>(() => Apply("""{"a":1}""", ops));
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void A_failing_operation_leaves_the_target_untouched()
    {
        var target = Obj("""{"a":1}""");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(target, (JsonArray)Parse("""[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zzz"}]""")!));

        Equal("""{"a":1}""", target);
    }
}
