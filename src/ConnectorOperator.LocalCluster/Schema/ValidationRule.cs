namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>One x-kubernetes-validations entry.</summary>
internal sealed record ValidationRule(
    string Rule,
    string? Message,
    string? MessageExpression,
    FieldErrorType? Reason,
    IReadOnlyList<FieldPathSegment> FieldPath,
    bool OptionalOldSelf)
{
    /// <summary>Rules that mention oldSelf only run on update, where the old value exists (unless optionalOldSelf).</summary>
    public bool IsTransitionRule { get; } = TransitionRule.Mentions(Rule);
}
