namespace ConnectorOperator.Validation;

/// <summary>Collects errors and warnings in the order the checks find them.</summary>
internal sealed class ProblemList
{
    private readonly List<SpecProblem> _errors = [];
    private readonly List<SpecProblem> _warnings = [];

    public void Error(string field, string message) => _errors.Add(new SpecProblem(field, message));

    public void Warning(string field, string message, string reason) => _warnings.Add(new SpecProblem(field, message, reason));

    public ValidationResult ToResult() => new(_errors.ToArray(), _warnings.ToArray());
}
