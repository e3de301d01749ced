namespace ConnectorOperator.Api.Schema;

/// <summary>One CEL rule with <c>self</c> bound to the annotated class's object or the annotated property's value.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : CelRulesAttribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>See <see cref="CelRule.FieldPath"/>.</summary>
    public string? FieldPath { get; set; }

    /// <summary>See <see cref="CelRule.Reason"/>.</summary>
    public string? Reason { get; set; }

    public override IEnumerable<CelRule> Rules() => [new CelRule(Rule, Message, FieldPath, Reason)];
}
