using System.Diagnostics;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class NodeCelEvaluatorTests
{
    private static readonly NodeCelEvaluator Cel = SharedCel.Evaluator;

    private static CelResult One(string rule, string selfJson, string? oldJson = null, string? messageExpression = null) =>
        Assert.Single(Cel.Evaluate([new CelCheck(rule, JsonNode.Parse(selfJson), oldJson is null ? null : JsonNode.Parse(oldJson), oldJson is not null, messageExpression)]));

    [Theory]
    [InlineData("self.a > 3", """{"a": 5}""")]
    [InlineData("has(self.a) && !has(self.b)", """{"a": 5}""")]
    [InlineData("size(self.l) == 3 && self.l.size() == 3", """{"l": [1, 2, 3]}""")]
    [InlineData("self.l.all(x, x > 0) && self.l.exists(x, x == 2) && self.l.exists_one(x, x == 3)", """{"l": [1, 2, 3]}""")]
    [InlineData("self.l.map(x, x * 2) == [2, 4] && self.l.filter(x, x > 1) == [2]", """{"l": [1, 2]}""")]
    [InlineData("self.s.matches('^bot-[a-z]+$') && self.s.startsWith('bot') && self.s.endsWith('x') && self.s.contains('-')", """{"s": "bot-x"}""")]
    [InlineData("int(self.s) == 42 && string(self.n) == '7'", """{"s": "42", "n": 7}""")]
    [InlineData("self.m.all(k, self.m[k] != '') && 'k' in self.m", """{"m": {"k": "v"}}""")]
    [InlineData("self.s.lowerAscii() == 'abc' && self.s.split('B').size() == 2", """{"s": "ABC"}""")]
    [InlineData("self.a == oldSelf.a + 1", """{"a": 2}""", """{"a": 1}""")]
    public void Standard_CEL_needed_by_Kubernetes_rules_works(string rule, string self, string? old = null)
    {
        Assert.Equal(new CelResult(true), One(rule, self, old));
    }

    [Fact]
    public void A_false_rule_passes_back_its_message_expression_result()
    {
        Assert.Equal(new CelResult(false, Message: "got 1"), One("self.a == 2", """{"a": 1}""", messageExpression: "'got ' + string(self.a)"));
    }

    [Fact]
    public void A_failing_message_expression_leaves_the_message_empty()
    {
        Assert.Equal(new CelResult(false), One("self.a == 2", """{"a": 1}""", messageExpression: "self.nope"));
    }

    [Fact]
    public void A_rule_that_does_not_compile_is_an_error_result_and_the_process_keeps_working()
    {
        var results = Cel.Evaluate([new CelCheck("self +", JsonValue.Create(1), null, false), new CelCheck("self == 1", JsonValue.Create(1), null, false)]);

        Assert.False(results[0].Passed);
        Assert.StartsWith("rule compile error: ", results[0].Error);
        Assert.Equal(new CelResult(true), results[1]);
    }

    [Fact]
    public void A_rule_that_is_not_boolean_is_an_error()
    {
        Assert.StartsWith("rule compile error: rule must evaluate to a bool", One("self + 1", "1").Error);
    }

    [Fact]
    public void Kubernetes_only_library_functions_are_reported_not_crashed_on()
    {
        var result = One("isURL(self)", "\"https://example.com\"");

        Assert.False(result.Passed);
        Assert.Contains("isURL", result.Error);
    }

    [Fact]
    public void Without_type_hints_integral_numbers_are_ints()
    {
        Assert.Equal(new CelResult(true), One("type(self.n) == int && type(self.x) == double && self.n * 2 == 6", """{"n": 3, "x": 1.5}"""));
    }

    [Fact]
    public void A_thousand_checks_in_one_batch_come_back_in_order_quickly()
    {
        var checks = Enumerable.Range(0, 1000)
            .Select(i => new CelCheck("self.n % 2 == 0 && self.items.all(x, x < 100)", new JsonObject { ["n"] = i, ["items"] = new JsonArray(1, 2, i % 150) }, null, false))
            .ToList();
        Cel.Evaluate(checks.Take(1).ToList());

        var watch = Stopwatch.StartNew();
        var results = Cel.Evaluate(checks);
        watch.Stop();

        Assert.Equal(1000, results.Count);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(i % 2 == 0 && i % 150 < 100, results[i].Passed);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Many_consecutive_calls_reuse_one_process()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(new CelResult(true), One("self == " + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void Concurrent_callers_each_get_their_own_answers()
    {
        Parallel.For(0, 50, i =>
        {
            var results = Cel.Evaluate([new CelCheck("self == " + i, JsonValue.Create(i), null, false)]);
            Assert.True(results[0].Passed);
        });
    }

    [Fact]
    public void An_explicit_tool_directory_is_honoured_and_dispose_stops_the_process()
    {
        var evaluator = new NodeCelEvaluator(new NodeCelEvaluatorOptions { ToolDirectory = SharedCel.ToolDirectory });

        Assert.True(evaluator.Evaluate([new CelCheck("true", null, null, false)])[0].Passed);
        using var node = Process.GetProcessById(evaluator.ProcessId!.Value);
        evaluator.Dispose();

        Assert.True(node.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Throws<ObjectDisposedException>(() => evaluator.Evaluate([new CelCheck("true", null, null, false)]));
    }

    [Fact]
    public void A_missing_tool_directory_fails_with_a_clear_error()
    {
        using var evaluator = new NodeCelEvaluator(new NodeCelEvaluatorOptions { ToolDirectory = Path.GetTempPath() });

        var error = Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate([new CelCheck("true", null, null, false)]));
        Assert.Contains("evaluate.mjs", error.Message);
    }
}
