using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// Evaluates ValidatingAdmissionPolicy expressions (object, oldObject, request, params, namespaceObject, variables,
/// authorizer). The wire shapes are those of tools/cel/evaluate.mjs's "policy" and "compile" requests.
/// </summary>
internal interface IPolicyCelEvaluator
{
    /// <summary>One evaluation of a policy; the answer lists authorizer checks still pending (see evaluate.mjs).</summary>
    JsonObject EvaluatePolicy(JsonObject policy);

    /// <summary>Per expression: null when it compiles, else the compiler's message.</summary>
    IReadOnlyList<string?> Compile(IReadOnlyList<string> expressions);
}
