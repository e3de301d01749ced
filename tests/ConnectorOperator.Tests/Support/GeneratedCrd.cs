using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Validation;

namespace ConnectorOperator.Tests.Support;

/// <summary>The CRD as the generator makes it, and helpers to check objects against it.</summary>
internal static class GeneratedCrd
{
    public const string CommittedPath = "config/crd/bases/connectoroperator.dev_agentconnectors.yaml";

    public static JsonObject Crd { get; } = CrdGenerator.Generate(AgentConnectorCrd.Definition);

    public static JsonObject OpenApiSchema => (JsonObject)Crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    public static IReadOnlyList<FieldError> Validate(JsonObject obj, ICelEvaluator? cel) =>
        CrdValidation.ValidateAgainstCrd(Crd, obj, oldObj: null, cel);

    /// <summary>Deserializes an AgentConnector object with the operator's own JSON context and runs the SpecValidator.</summary>
    public static ValidationResult ValidateSpec(JsonObject obj)
    {
        var connector = obj.Deserialize(AgentConnectorJsonContext.Default.AgentConnector)
            ?? throw new InvalidOperationException("null AgentConnector");
        return SpecValidator.Validate(connector.Spec);
    }
}
