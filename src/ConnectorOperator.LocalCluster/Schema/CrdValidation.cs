using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Checks a custom resource against a CustomResourceDefinition the way a create/update request would.</summary>
public static class CrdValidation
{
    /// <summary>
    /// Picks the storage version's openAPIV3Schema, defaults and prunes copies of <paramref name="obj"/> (and of
    /// <paramref name="oldObj"/>, as stored objects are already defaulted), then validates. The inputs are not changed.
    /// </summary>
    /// <exception cref="ArgumentException">The CRD has no storage version with a schema.</exception>
    /// <exception cref="InvalidSchemaException">The schema is not structural.</exception>
    public static IReadOnlyList<FieldError> ValidateAgainstCrd(JsonObject crd, JsonObject obj, JsonObject? oldObj, ICelEvaluator? cel)
    {
        ArgumentNullException.ThrowIfNull(crd);
        ArgumentNullException.ThrowIfNull(obj);
        var schema = StructuralSchema.Parse(StorageVersionSchema(crd));
        var current = Prepare(schema, obj);
        var previous = oldObj is null ? null : Prepare(schema, oldObj);
        return schema.Validate(current, previous, cel);
    }

    private static JsonObject Prepare(StructuralSchema schema, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        schema.ApplyDefaults(copy);
        schema.Prune(copy);
        return copy;
    }

    private static JsonObject StorageVersionSchema(JsonObject crd)
    {
        var versions = crd["spec"]?["versions"] as JsonArray
            ?? throw new ArgumentException("The CustomResourceDefinition has no spec.versions.", nameof(crd));
        var storage = versions.OfType<JsonObject>().FirstOrDefault(v =>
            v["storage"] is JsonValue s && s.GetValueKind() == JsonValueKind.True)
            ?? throw new ArgumentException("The CustomResourceDefinition has no storage version.", nameof(crd));
        return storage["schema"]?["openAPIV3Schema"] as JsonObject
            ?? throw new ArgumentException($"Version {storage["name"]} of the CustomResourceDefinition has no schema.openAPIV3Schema.", nameof(crd));
    }
}
