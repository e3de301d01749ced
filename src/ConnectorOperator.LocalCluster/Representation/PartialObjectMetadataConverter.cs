using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>meta.k8s.io/v1 PartialObjectMetadata(List) responses (Accept: application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io).</summary>
public static class PartialObjectMetadataConverter
{
    /// <summary>The object's metadata (copied, managedFields included) under the PartialObjectMetadata type.</summary>
    public static JsonObject ToPartial(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>A PartialObjectMetadataList; every item carries its own kind and apiVersion, as the apiserver sends them.</summary>
    public static JsonObject ToPartialList(IReadOnlyList<JsonObject> objects, string? resourceVersion, string? continueToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var items = new JsonArray();
        foreach (var obj in objects)
        {
            items.Add(ToPartial(obj));
        }

        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadataList",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = TableConverter.ListMeta(resourceVersion, continueToken),
            ["items"] = items,
        };
    }
}
