using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>autoscaling/v1 Scale views of a custom resource, through its CRD's replica and selector paths.</summary>
internal static class ScaleSubresource
{
    public static JsonObject ToScale(ResourceType resource, JsonObject obj)
    {
        var paths = resource.Scale!;
        var meta = obj["metadata"]!.AsObject();
        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[field] is { } value)
            {
                scaleMeta[field] = value.DeepClone();
            }
        }

        var status = new JsonObject { ["replicas"] = Replicas(JsonPaths.Get(obj, paths.StatusReplicasPath)) };
        if (paths.LabelSelectorPath is not null && JsonPaths.Get(obj, paths.LabelSelectorPath) is JsonValue selector && selector.GetValueKind() == JsonValueKind.String)
        {
            status["selector"] = selector.GetValue<string>();
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = Replicas(JsonPaths.Get(obj, paths.SpecReplicasPath)) },
            ["status"] = status,
        };
    }

    /// <summary>Writes the Scale's spec.replicas into the object; the Scale's resourceVersion becomes the update's precondition.</summary>
    /// <exception cref="ApiStatusException">422 for a missing or negative replica count.</exception>
    public static JsonObject Apply(ResourceType resource, JsonObject obj, JsonObject scale)
    {
        var name = obj["metadata"]?["name"]?.GetValue<string>();
        if (!JsonNumbers.TryGetLong(scale["spec"]?["replicas"], out var replicas) || replicas < 0)
        {
            throw InvalidObjects.Create("Scale.autoscaling", "autoscaling", "Scale", name,
                [new FieldError("spec.replicas", FieldErrorType.Invalid, $"Invalid value: {scale["spec"]?["replicas"]?.ToJsonString() ?? "null"}: must be greater than or equal to 0")]);
        }

        var next = obj.DeepClone().AsObject();
        JsonPaths.Set(next, resource.Scale!.SpecReplicasPath, replicas);
        var meta = next["metadata"]!.AsObject();
        meta.Remove("resourceVersion");
        if (scale["metadata"]?["resourceVersion"] is JsonValue rv)
        {
            meta["resourceVersion"] = rv.DeepClone();
        }

        return next;
    }

    private static long Replicas(JsonNode? node) => JsonNumbers.Long(node) ?? 0;
}
