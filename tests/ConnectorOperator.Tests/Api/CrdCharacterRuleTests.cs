using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Api;

/// <summary>
/// The generated CRD refuses invisible characters in identifiers (a NUL, a zero-width space or a bidi override in a
/// bot id looks like another id) and control characters in free text, and bounds every integer.
/// </summary>
public sealed class CrdCharacterRuleTests(CelEvaluatorFixture cel) : IClassFixture<CelEvaluatorFixture>
{
    public static TheoryData<string> Hidden() => ["\0", "\u0001", "\u007F", "\u0085", "\t", "\n", "\r", "\u200B", "\u202E", "\uFEFF", "\u00A0", "\u2028", "\u3000"];

    [Theory]
    [MemberData(nameof(Hidden))]
    public void Identifier_with_a_hidden_character_is_refused_at_its_field(string hidden)
    {
        AssertRefused(Samples.ValidConnector().With("bot", new JsonObject { ["id"] = "support" + hidden + "bot" }), "spec.bot.id");
        var user = Samples.ValidConnector();
        user.Spec()["agentUsers"]![0]!["loginName"] = "bot-agent" + hidden;
        AssertRefused(user, "spec.agentUsers[0].loginName");
        AssertRefused(Samples.ValidConnector().With("image", "connector:1" + hidden), "spec.image");
        AssertRefused(Samples.ValidConnector().With("externalWebhook", new JsonObject { ["url"] = "https://hooks.example.com/" + hidden }), "spec.externalWebhook.url");
        AssertRefused(Samples.ValidConnector().With("bot", new JsonObject { ["id"] = "b", ["endpoint"] = "https://bots.example.com/" + hidden }), "spec.bot.endpoint");
    }

    [Fact]
    public void A_trailing_newline_does_not_slip_past_the_end_anchor()
    {
        AssertRefused(Samples.ValidConnector().With("bot", new JsonObject { ["id"] = "support-bot\n" }), "spec.bot.id");
        AssertRefused(Samples.ValidConnector().With("accountId", "12345678\n"), "spec.accountId");
    }

    [Theory]
    [InlineData("bot-日本")]
    [InlineData("бот")]
    [InlineData("بوت")]
    [InlineData("bot-🙂")]
    [InlineData("cafe\u0301")]
    public void Identifier_in_any_script_is_accepted(string id)
    {
        AssertAccepted(Samples.ValidConnector().With("bot", new JsonObject { ["id"] = id }));
    }

    [Fact]
    public void Free_text_takes_unicode_tabs_and_newlines_but_no_other_control_character()
    {
        AssertAccepted(Samples.ValidConnector().With("customConfiguration", new JsonObject { ["defaultGreetingMessage"] = "مرحبا 👋\n\tzero\u200Bwidth" }));
        AssertRefused(Samples.ValidConnector().With("customConfiguration", new JsonObject { ["defaultGreetingMessage"] = "hi\0" }), "spec.customConfiguration[defaultGreetingMessage]");
        AssertRefused(Samples.ValidConnector().With("podTemplate", new JsonObject { ["annotations"] = new JsonObject { ["note"] = "a\u001Bb" } }), "spec.podTemplate.annotations[note]");
    }

    [Fact]
    public void Integers_beyond_int32_are_refused()
    {
        AssertRefused(Samples.ValidConnector().With("replicas", JsonNode.Parse("2147483648")), "spec.replicas");
        AssertRefused(Samples.ValidConnector().With("scaling", new JsonObject { ["minReplicas"] = JsonNode.Parse("123456789012345678901234567890") }), "spec.scaling.minReplicas");
        AssertAccepted(Samples.ValidConnector().With("replicas", int.MaxValue));
    }

    [Fact]
    public void Every_integer_of_the_schema_has_both_bounds()
    {
        var unbounded = Integers(GeneratedCrd.OpenApiSchema, "").Where(i => i.Node["minimum"] is null || i.Node["maximum"] is null).Select(i => i.Path).ToList();
        Assert.True(unbounded.Count == 0, "Integers without minimum and maximum: " + string.Join(", ", unbounded));
    }

    private void AssertRefused(JsonObject connector, string path)
    {
        var errors = GeneratedCrd.Validate(connector, cel.Evaluator);
        Assert.True(errors.Any(e => e.Path == path), $"Expected an error at {path}, got: [{string.Join("; ", errors)}]");
    }

    private void AssertAccepted(JsonObject connector)
    {
        var errors = GeneratedCrd.Validate(connector, cel.Evaluator);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    private static IEnumerable<(string Path, JsonObject Node)> Integers(JsonNode? node, string path) => node switch
    {
        JsonObject obj when obj["type"] is JsonValue type && type.ToString() == "integer" => [(path, obj)],
        JsonObject obj => obj.SelectMany(p => Integers(p.Value, $"{path}/{p.Key}")),
        JsonArray array => array.SelectMany((n, i) => Integers(n, $"{path}/{i}")),
        _ => [],
    };
}
