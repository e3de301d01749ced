namespace ConnectorOperator.Validation;

/// <summary>
/// Errors block a spec (the operator reports them and changes nothing); warnings are surfaced but do not block
/// (unknown custom configuration keys, keys the connector type ignores).
/// </summary>
public sealed class ValidationResult(IReadOnlyList<SpecProblem> errors, IReadOnlyList<SpecProblem> warnings)
{
    public IReadOnlyList<SpecProblem> Errors { get; } = errors;

    public IReadOnlyList<SpecProblem> Warnings { get; } = warnings;

    public bool IsValid => Errors.Count == 0;

    /// <summary>"field: message; field: message", for a condition message or an event.</summary>
    public static string Describe(IEnumerable<SpecProblem> problems) => string.Join("; ", problems);
}
