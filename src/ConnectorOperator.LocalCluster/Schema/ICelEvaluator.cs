using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Evaluates CEL rules (x-kubernetes-validations). The real one runs @bufbuild/cel under Node.</summary>
public interface ICelEvaluator
{
    /// <summary>Evaluates each rule with <c>self</c> (and <c>oldSelf</c> when given) bound; returns one result per check, in order.</summary>
    IReadOnlyList<CelResult> Evaluate(IReadOnlyList<CelCheck> checks);
}

public sealed record CelCheck(string Rule, JsonNode? Self, JsonNode? OldSelf, bool HasOldSelf, string? MessageExpression = null);

/// <summary><see cref="Passed"/> false with a null <see cref="Error"/> means the rule evaluated to false.</summary>
public sealed record CelResult(bool Passed, string? Error = null, string? Message = null);
