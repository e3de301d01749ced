using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

public class RuleBatchingTests
{
    private sealed class RecordingEvaluator(Func<CelCheck, CelResult> answer) : ICelEvaluator
    {
        public List<IReadOnlyList<CelCheck>> Batches { get; } = [];

        public IReadOnlyList<CelResult> Evaluate(IReadOnlyList<CelCheck> checks)
        {
            Batches.Add(checks);
            return checks.Select(answer).ToList();
        }
    }

    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Obj("""
        {"type": "object",
         "x-kubernetes-validations": [{"rule": "self.metadata.name.startsWith('bot-')", "message": "name starts with bot-"}],
         "properties": {"spec": {"type": "object", "properties": {
           "users": {"type": "array", "items": {"type": "string", "x-kubernetes-validations": [{"rule": "self != 'root'"}]}},
           "limit": {"type": "integer", "x-kubernetes-validations": [{"rule": "self <= oldSelf"}]}}}}}
        """));

    [Fact]
    public void All_rules_of_one_validation_go_to_the_evaluator_in_one_batch()
    {
        var evaluator = new RecordingEvaluator(_ => new CelResult(true));

        Schema.Validate(Json.Obj("""{"metadata": {"name": "bot-a"}, "spec": {"users": ["a", "b", "c"], "limit": 1}}"""), null, evaluator);

        var batch = Assert.Single(evaluator.Batches);
        Assert.Equal(4, batch.Count);
        Assert.Equal(["a", "b", "c"], batch.Where(c => c.Rule == "self != 'root'").Select(c => c.Self!.GetValue<string>()));
    }

    [Fact]
    public void Transition_checks_carry_the_old_value_and_plain_rules_do_not()
    {
        var evaluator = new RecordingEvaluator(_ => new CelResult(true));

        Schema.Validate(
            Json.Obj("""{"metadata": {"name": "bot-a"}, "spec": {"limit": 1}}"""),
            Json.Obj("""{"metadata": {"name": "bot-a"}, "spec": {"limit": 2}}"""),
            evaluator);

        var checks = Assert.Single(evaluator.Batches);
        var transition = Assert.Single(checks, c => c.Rule == "self <= oldSelf");
        Assert.True(transition.HasOldSelf);
        Assert.Equal(2, transition.OldSelf!.GetValue<int>());
        Assert.All(checks.Where(c => c != transition), c => Assert.False(c.HasOldSelf));
    }

    [Fact]
    public void Nothing_is_sent_when_no_rule_applies()
    {
        var evaluator = new RecordingEvaluator(_ => new CelResult(true));
        var schema = StructuralSchema.Parse(Json.Obj("""{"type": "object", "properties": {"a": {"type": "string"}}}"""));

        schema.Validate(Json.Obj("""{"a": "x"}"""), null, evaluator);

        Assert.Empty(evaluator.Batches);
    }

    [Fact]
    public void Root_rules_see_the_object_metadata()
    {
        var errors = Schema.Validate(Json.Obj("""{"metadata": {"name": "human"}, "spec": {}}"""), null, SharedCel.Evaluator);

        Assert.Equal([new FieldError("", FieldErrorType.Invalid, "Invalid value: name starts with bot-")], errors);
    }

    [Fact]
    public void A_thousand_item_rules_in_one_validation_are_evaluated_together()
    {
        var users = new JsonArray(Enumerable.Range(0, 1000).Select(i => (JsonNode?)JsonValue.Create(i == 500 ? "root" : "u" + i)).ToArray());
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bot-a" }, ["spec"] = new JsonObject { ["users"] = users } };

        var errors = Schema.Validate(obj, null, SharedCel.Evaluator);

        Assert.Equal([new FieldError("spec.users[500]", FieldErrorType.Invalid, "Invalid value: \"root\": failed rule: self != 'root'")], errors);
    }

    [Fact]
    public void An_evaluator_returning_the_wrong_number_of_results_is_a_bug_not_a_pass()
    {
        var evaluator = new BrokenEvaluator();

        Assert.Throws<InvalidOperationException>(() =>
            Schema.Validate(Json.Obj("""{"metadata": {"name": "bot-a"}}"""), null, evaluator));
    }

    private sealed class BrokenEvaluator : ICelEvaluator
    {
        public IReadOnlyList<CelResult> Evaluate(IReadOnlyList<CelCheck> checks) => [];
    }
}
