using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Writes.Validation;

/// <summary>The apiserver's order for custom objects: unknown-field check, defaulting, pruning, then schema and CEL validation.</summary>
internal sealed class CustomResourceAdmission(ICelEvaluator? cel)
{
    /// <param name="warnings">Receives unknown-field warnings under <see cref="FieldValidationMode.Warn"/>.</param>
    public void Admit(ResourceType resource, JsonObject obj, JsonObject? old, FieldValidationMode mode, ICollection<string> warnings)
    {
        var schema = resource.Schema ?? throw new InvalidOperationException($"{resource.QualifiedResource} has no schema");
        if (mode != FieldValidationMode.Ignore)
        {
            var pruned = obj.DeepClone().AsObject();
            schema.Prune(pruned);
            var unknown = UnknownFields(obj, pruned, string.Empty).ToList();
            if (unknown.Count > 0 && mode == FieldValidationMode.Strict)
            {
                throw StatusObjects.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
            }

            foreach (var field in unknown)
            {
                warnings.Add($"unknown field \"{field}\"");
            }
        }

        schema.ApplyDefaults(obj);
        schema.Prune(obj);
        var errors = schema.Validate(obj, old, cel);
        if (errors.Count > 0)
        {
            throw InvalidObjects.Create(resource, obj["metadata"]?["name"]?.GetValue<string>(), errors);
        }
    }

    private static IEnumerable<string> UnknownFields(JsonNode? original, JsonNode? pruned, string path)
    {
        switch (original)
        {
            case JsonObject o:
                var kept = pruned as JsonObject;
                foreach (var (key, value) in o)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (kept is null || !kept.TryGetPropertyValue(key, out var keptValue))
                    {
                        yield return child;
                        continue;
                    }

                    foreach (var inner in UnknownFields(value, keptValue, child))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a when pruned is JsonArray b:
                for (var i = 0; i < a.Count && i < b.Count; i++)
                {
                    foreach (var inner in UnknownFields(a[i], b[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
