using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Tests.Support;
using ConnectorOperator.Tests.Validation.Fuzz;
using Xunit.Abstractions;

namespace ConnectorOperator.Tests.Validation;

/// <summary>
/// Generated AgentConnector specs, random and mutated from config/samples, as real creates to the API server double
/// with the generated CRD and CEL: none crashes anything or gets a 5xx, each invalid one is refused naming its field
/// or marked InvalidSpec naming it with no pods, each valid one passes both layers. CI runs 1,000 cases;
/// <c>make fuzz</c> runs 10,000 (CONNECTOR_OPERATOR_FUZZ_CASES, CONNECTOR_OPERATOR_FUZZ_SEED).
/// </summary>
public sealed class SpecFuzzTests(CelEvaluatorFixture cel, ITestOutputHelper output) : IClassFixture<CelEvaluatorFixture>
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public async Task Generated_specs_are_refused_naming_the_field_or_marked_invalid_without_pods_and_nothing_crashes()
    {
        var cases = Setting("CONNECTOR_OPERATOR_FUZZ_CASES", 1_000);
        var seed = Setting("CONNECTOR_OPERATOR_FUZZ_SEED", 11);
        var fuzzer = new SpecFuzzer(seed);
        await using var run = await SpecFuzzRun.StartAsync(cel.Evaluator);

        var elapsed = await run.RunAsync(Enumerable.Range(0, cases).Select(fuzzer.Case));

        var summary = string.Join(", ", Enum.GetValues<FuzzOutcome>().Select(o => $"{o} {run.Count(o)}"));
        var report = $"spec fuzz: {cases} cases, seed {seed}, {elapsed.TotalSeconds:F1} s ({cases / elapsed.TotalSeconds:F0} cases/s): {summary}, failures {run.Failures.Count}";
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("CONNECTOR_OPERATOR_FUZZ_REPORT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, report + "\n");
        Assert.True(run.Failures.Count == 0, $"{report}\n{string.Join("\n", run.Failures.Take(15))}");
        // Every layer has work to do, or the generator has drifted away from what it is meant to exercise.
        if (cases >= 1_000) Assert.All(Enum.GetValues<FuzzOutcome>(), o => Assert.True(run.Count(o) > 0, $"no case ended {o}: {summary}"));
    }

    [Fact]
    public async Task Bot_id_with_a_nul_is_refused_by_the_crd_at_spec_bot_id()
    {
        await using var run = await SpecFuzzRun.StartAsync(cel.Evaluator);
        var spec = SpecFuzzer.ValidBase();
        spec["bot"]!["id"] = "support\0bot";

        var fuzzCase = SpecFuzzer.Of(0, spec, "bot.id with a NUL");
        Assert.Equal(["spec.bot.id"], fuzzCase.Expected.Invalid);

        var outcome = await run.RunAsync(fuzzCase);

        // The run checks that the 422's causes name spec.bot.id (and nothing the oracle finds valid).
        Assert.True(run.Failures.Count == 0, string.Join("\n", run.Failures));
        Assert.Equal(FuzzOutcome.RefusedBySchema, outcome);
    }

    [Fact]
    public async Task Bot_id_with_a_nul_under_a_crd_without_patterns_is_invalid_spec_without_pods()
    {
        await using var run = await SpecFuzzRun.StartAsync(cel.Evaluator, WithoutPatterns(CrdGenerator.Generate(AgentConnectorCrd.Definition)));
        var spec = SpecFuzzer.ValidBase();
        spec["bot"]!["id"] = "support\0bot";

        var outcome = await run.RunAsync(SpecFuzzer.Of(0, spec, "bot.id with a NUL, old CRD"));

        // The run checks the Stalled condition names spec.bot.id and that the planner creates no pod.
        Assert.True(run.Failures.Count == 0, string.Join("\n", run.Failures));
        Assert.Equal(FuzzOutcome.InvalidSpec, outcome);
    }

    /// <summary>Every C0 and C1 control character and the common format characters, in every identifier field, under both CRDs.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_control_or_format_character_in_any_identifier_field_is_refused_by_one_of_the_two_layers(bool patterns)
    {
        var crd = CrdGenerator.Generate(AgentConnectorCrd.Definition);
        await using var run = await SpecFuzzRun.StartAsync(cel.Evaluator, patterns ? crd : WithoutPatterns(crd));
        var hidden = Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => ((char)c).ToString())
            .Concat(["\u200B", "\u200D", "\u202E", "\u2066", "\uFEFF", "\U000E0001"]).ToList();
        var cases = new List<FuzzCase>();
        foreach (var field in FuzzFields.Identifiers)
        {
            foreach (var character in hidden)
            {
                var spec = WithField(SpecFuzzer.ValidBase(), field);
                var path = field.Path.Select(s => s is SpecPath.AnyItem ? (object)0 : s).ToList();
                SpecPath.Set(spec, path, ((string)SpecPath.Get(spec, path)!).Insert(1, character));
                cases.Add(SpecFuzzer.Of(cases.Count, spec, $"U+{char.ConvertToUtf32(character, 0):X4} in {SpecPath.Name(path)}"));
            }
        }

        await run.RunAsync(cases);

        Assert.True(run.Failures.Count == 0, string.Join("\n", run.Failures.Take(15)));
        Assert.Equal(0, run.Count(FuzzOutcome.Valid));
        Assert.Equal(cases.Count, run.Count(FuzzOutcome.RefusedBySchema) + run.Count(FuzzOutcome.RefusedByCel) + run.Count(FuzzOutcome.InvalidSpec));
    }

    /// <summary>The base spec with the field present at its sample value (and whatever must come with it).</summary>
    private static JsonObject WithField(JsonObject spec, FuzzField field)
    {
        if (field.Path[0] is "externalWebhook") spec["externalWebhook"] = new JsonObject { ["url"] = "https://hooks.example.com/bot", ["apiKeySecretRef"] = new JsonObject { ["name"] = "hook-key", ["key"] = "apiKey" } };
        if (field.Path[0] is "podTemplate") spec["podTemplate"] = new JsonObject { ["priorityClassName"] = "high", ["tolerations"] = new JsonArray(new JsonObject()) };
        var path = field.Path.Select(s => s is SpecPath.AnyItem ? (object)0 : s).ToList();
        if (SpecPath.Get(spec, path) is null) SpecPath.Set(spec, path, field.Sample);
        return spec;
    }

    /// <summary>The CRD as an older release without character rules would have it.</summary>
    private static JsonObject WithoutPatterns(JsonObject crd)
    {
        foreach (var node in Descendants(crd).OfType<JsonObject>().Where(o => o.ContainsKey("pattern") && o["pattern"] is JsonValue).ToList())
        {
            node.Remove("pattern");
        }
        return crd;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode? node) => node switch
    {
        JsonObject obj => [obj, .. obj.SelectMany(p => Descendants(p.Value))],
        JsonArray array => [array, .. array.SelectMany(Descendants)],
        _ => [],
    };
}
