namespace ConnectorOperator.Validation;

/// <summary>One problem with a spec. <see cref="Field"/> is the API field path: "spec.customConfiguration[messageDelay]".</summary>
public sealed record SpecProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
