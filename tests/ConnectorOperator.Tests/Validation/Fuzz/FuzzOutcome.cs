namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>Which layer dealt with a case: the schema, a CEL rule, the operator's SpecValidator, or none (valid).</summary>
internal enum FuzzOutcome
{
    RefusedBySchema,
    RefusedByCel,
    InvalidSpec,
    Valid,
}

/// <summary>A case that broke a promise: what happened, and enough to replay it.</summary>
internal sealed record FuzzFailure(FuzzCase Case, string Problem)
{
    public override string ToString()
    {
        var body = Case.Spec.ToJsonString();
        return $"{Case.Describe()}\n  {Problem}\n  expected invalid [{string.Join(", ", Case.Expected.Invalid)}] malformed [{string.Join(", ", Case.Expected.Malformed)}]\n  spec: {(body.Length <= 600 ? body : body[..600] + "...")}";
    }
}
