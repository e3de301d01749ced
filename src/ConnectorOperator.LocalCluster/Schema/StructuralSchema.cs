using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>One CRD version's openAPIV3Schema, parsed once: defaulting, pruning and validation as the API server does them.</summary>
public sealed class StructuralSchema
{
    private readonly SchemaNode _root;

    private StructuralSchema(SchemaNode root) => _root = root;

    /// <summary>Parses a CRD's openAPIV3Schema. Throws <see cref="InvalidSchemaException"/> naming the path when it is not structural.</summary>
    public static StructuralSchema Parse(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        return new StructuralSchema(SchemaParser.ParseRoot(openApiV3Schema));
    }

    /// <summary>Fills in <c>default</c> values in place (after decoding, before validation), as the apiserver does.</summary>
    public void ApplyDefaults(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Defaulter.Apply(obj, _root);
    }

    /// <summary>Drops fields the schema does not declare (honours x-kubernetes-preserve-unknown-fields); apiVersion, kind and metadata stay.</summary>
    public void Prune(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Pruner.PruneRoot(obj, _root);
    }

    /// <summary>Type, enum, required, bounds, pattern, format and x-kubernetes-validations (CEL) checks. <paramref name="oldObj"/> enables transition rules on update.</summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? oldObj, ICelEvaluator? cel)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return SchemaValidator.Validate(_root, obj, oldObj, cel);
    }
}
