using System.Text.Json.Nodes;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Api;

public sealed class CrdYamlTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("300")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData(".5")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("yes")]
    [InlineData("2026-11-21")]
    [InlineData("!('lpPassword' in self)")]
    [InlineData("a: b")]
    [InlineData("# not a comment")]
    [InlineData("['key']")]
    public void Strings_that_look_like_other_types_stay_strings(string text)
    {
        var document = new JsonObject { ["value"] = text, ["list"] = new JsonArray(text) };
        var read = YamlDocuments.ParseSingle(CrdYaml.Write(document));
        Assert.True(JsonNode.DeepEquals(document, read), CrdYaml.Write(document));
    }

    [Fact]
    public void Numbers_booleans_and_empty_objects_keep_their_types()
    {
        var document = new JsonObject { ["n"] = 50, ["b"] = true, ["empty"] = new JsonObject(), ["none"] = new JsonArray() };
        var read = YamlDocuments.ParseSingle(CrdYaml.Write(document));
        Assert.Equal(50L, (long)read["n"]!);
        Assert.True((bool)read["b"]!);
        Assert.Empty(read["empty"]!.AsObject());
        Assert.Empty(read["none"]!.AsArray());
    }

    [Fact]
    public void Keys_are_written_in_ordinal_order_whatever_the_insertion_order()
    {
        var yaml = CrdYaml.Write(new JsonObject { ["zeta"] = 1, ["alpha"] = 2, ["Beta"] = 3 });
        Assert.Equal("Beta: 3\nalpha: 2\nzeta: 1\n", yaml);
    }

    [Fact]
    public void Header_is_written_as_comment_lines()
    {
        var yaml = CrdYaml.Write(new JsonObject { ["a"] = 1 }, "line one\nline two");
        Assert.StartsWith("# line one\n# line two\na: 1\n", yaml, StringComparison.Ordinal);
    }
}
