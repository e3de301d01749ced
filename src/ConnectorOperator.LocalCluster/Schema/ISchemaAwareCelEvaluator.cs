using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// What the schema knows about a check beyond the public <see cref="CelCheck"/>: the CEL typing of self/oldSelf
/// (see <see cref="CelTypeHints"/>) and whether oldSelf is an optional. Evaluators that cannot use it just get
/// the plain checks.
/// </summary>
internal sealed record CelCheckContext(JsonNode? TypeHint, bool OptionalOldSelf);

internal interface ISchemaAwareCelEvaluator : ICelEvaluator
{
    /// <param name="contexts">One per check, same order.</param>
    IReadOnlyList<CelResult> Evaluate(IReadOnlyList<CelCheck> checks, IReadOnlyList<CelCheckContext> contexts);
}
