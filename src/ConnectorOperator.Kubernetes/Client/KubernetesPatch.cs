using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Serialization;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>A patch body and the content type that tells the server how to apply it.</summary>
public sealed record KubernetesPatch(string ContentType, string Body)
{
    public const string MergeContentType = "application/merge-patch+json";
    public const string JsonPatchContentType = "application/json-patch+json";
    public const string StrategicMergeContentType = "application/strategic-merge-patch+json";
    public const string ApplyContentType = "application/apply-patch+yaml";

    /// <summary>RFC 7386 merge patch: nulls delete, objects merge, lists replace.</summary>
    public static KubernetesPatch Merge(JsonNode patch) => new(MergeContentType, ToJson(patch));

    /// <summary>RFC 6902 JSON patch; use <see cref="JsonPatchBuilder"/> for guarded (test-op) edits.</summary>
    public static KubernetesPatch Json(JsonArray operations) => new(JsonPatchContentType, ToJson(operations));

    public static KubernetesPatch StrategicMerge(JsonNode patch) => new(StrategicMergeContentType, ToJson(patch));

    /// <summary>Server-side apply of a full intended configuration (JSON is valid YAML).</summary>
    public static KubernetesPatch Apply(JsonNode configuration) => new(ApplyContentType, ToJson(configuration));

    /// <summary>Server-side apply of a typed object serialized with the client's options.</summary>
    public static KubernetesPatch Apply<T>(T configuration, JsonSerializerOptions options) =>
        new(ApplyContentType, JsonSerializer.Serialize(configuration, options.TypeInfo<T>()));

    private static string ToJson(JsonNode node) => node.ToJsonString(KubernetesJson.Default);

    /// <summary>The typed client's name for <see cref="ContentType"/>.</summary>
    public V1Patch.PatchType Type => ContentType switch
    {
        MergeContentType => V1Patch.PatchType.MergePatch,
        JsonPatchContentType => V1Patch.PatchType.JsonPatch,
        StrategicMergeContentType => V1Patch.PatchType.StrategicMergePatch,
        ApplyContentType => V1Patch.PatchType.ApplyPatch,
        _ => throw new NotSupportedException($"patch content type {ContentType}"),
    };

    public override string ToString() => $"{ContentType} ({Encoding.UTF8.GetByteCount(Body)} bytes)";
}

/// <summary>Builds RFC 6902 operations; paths are JSON pointers with ~0/~1 escaping done here.</summary>
public sealed class JsonPatchBuilder
{
    private readonly JsonArray _ops = [];

    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    public JsonPatchBuilder Test(string path, JsonNode? value) => Add("test", path, value);
    public JsonPatchBuilder Add(string path, JsonNode? value) => Add("add", path, value);
    public JsonPatchBuilder Replace(string path, JsonNode? value) => Add("replace", path, value);

    public JsonPatchBuilder Remove(string path)
    {
        _ops.Add((JsonNode)new JsonObject { ["op"] = "remove", ["path"] = path });
        return this;
    }

    public KubernetesPatch Build() => KubernetesPatch.Json(_ops);

    private JsonPatchBuilder Add(string op, string path, JsonNode? value)
    {
        _ops.Add((JsonNode)new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value?.DeepClone() });
        return this;
    }
}
