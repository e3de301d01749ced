using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>
/// Decodes the Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown) for the kinds kubectl's imperative create
/// commands send that way: ConfigMap, Secret, Namespace, ServiceAccount, and the reviews of <see cref="ReviewProtobuf"/>. Field numbers follow k8s.io/api's
/// generated.proto; fields those commands never set are skipped.
/// </summary>
internal static class ProtobufBodies
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <exception cref="ApiStatusException">415 for kinds not decoded here, 400 for malformed bodies.</exception>
    public static JsonObject Decode(byte[] body)
    {
        if (!body.AsSpan().StartsWith(Magic))
        {
            throw StatusObjects.BadRequest("protobuf body does not start with the k8s envelope");
        }

        try
        {
            return DecodeEnvelope(new ProtoReader(body.AsMemory(Magic.Length)));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw StatusObjects.BadRequest($"error decoding protobuf body: {e.Message}");
        }
    }

    private static JsonObject DecodeEnvelope(ProtoReader envelope)
    {
        string? apiVersion = null;
        string? kind = null;
        var raw = new ProtoReader(ReadOnlyMemory<byte>.Empty);
        while (envelope.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    var typeMeta = envelope.ReadMessage();
                    while (typeMeta.TryReadTag(out var f, out var w))
                    {
                        switch (f)
                        {
                            case 1: apiVersion = typeMeta.ReadString(); break;
                            case 2: kind = typeMeta.ReadString(); break;
                            default: typeMeta.Skip(w); break;
                        }
                    }

                    break;
                case 2:
                    raw = envelope.ReadMessage();
                    break;
                default:
                    envelope.Skip(wire);
                    break;
            }
        }

        if (ReviewProtobuf.TryDecode(apiVersion, kind, raw) is { } review)
        {
            return review;
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        if (apiVersion != "v1" || kind is not ("ConfigMap" or "Secret" or "Namespace" or "ServiceAccount"))
        {
            throw new ApiStatusException(415, "UnsupportedMediaType", $"protobuf bodies are decoded only for ConfigMap, Secret, Namespace and ServiceAccount, not {apiVersion}/{kind}; send JSON");
        }

        while (raw.TryReadTag(out var field, out var wire))
        {
            switch (kind, field)
            {
                case (_, 1):
                    obj["metadata"] = ObjectMeta(raw.ReadMessage());
                    break;
                case ("ConfigMap", 2):
                    AddEntry(obj, "data", raw.ReadMessage(), base64: false);
                    break;
                case ("ConfigMap", 3) or ("Secret", 2):
                    AddEntry(obj, kind == "Secret" ? "data" : "binaryData", raw.ReadMessage(), base64: true);
                    break;
                case ("Secret", 4):
                    AddEntry(obj, "stringData", raw.ReadMessage(), base64: false);
                    break;
                case ("Secret", 3):
                    SetNonEmpty(obj, "type", raw.ReadString());
                    break;
                case ("ConfigMap", 4) or ("Secret", 5):
                    obj["immutable"] = raw.ReadVarint() != 0;
                    break;
                case ("ServiceAccount", 4):
                    obj["automountServiceAccountToken"] = raw.ReadVarint() != 0;
                    break;
                default:
                    raw.Skip(wire);
                    break;
            }
        }

        return obj;
    }

    private static JsonObject ObjectMeta(ProtoReader reader)
    {
        var meta = new JsonObject();
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1: SetNonEmpty(meta, "name", reader.ReadString()); break;
                case 2: SetNonEmpty(meta, "generateName", reader.ReadString()); break;
                case 3: SetNonEmpty(meta, "namespace", reader.ReadString()); break;
                case 11: AddEntry(meta, "labels", reader.ReadMessage(), base64: false); break;
                case 12: AddEntry(meta, "annotations", reader.ReadMessage(), base64: false); break;
                case 14:
                    if (meta["finalizers"] is not JsonArray finalizers)
                    {
                        finalizers = [];
                        meta["finalizers"] = finalizers;
                    }

                    finalizers.Add(reader.ReadString());
                    break;
                default: reader.Skip(wire); break;
            }
        }

        return meta;
    }

    // gogo-protobuf writes empty strings for unset fields; JSON omits them.
    private static void SetNonEmpty(JsonObject target, string field, string value)
    {
        if (value.Length > 0)
        {
            target[field] = value;
        }
    }

    // Map entries are messages with key = 1 and value = 2.
    private static void AddEntry(JsonObject target, string field, ProtoReader entry, bool base64)
    {
        var key = string.Empty;
        var value = string.Empty;
        while (entry.TryReadTag(out var f, out var w))
        {
            switch (f)
            {
                case 1: key = entry.ReadString(); break;
                case 2: value = base64 ? Convert.ToBase64String(entry.ReadBytes().Span) : entry.ReadString(); break;
                default: entry.Skip(w); break;
            }
        }

        if (target[field] is not JsonObject map)
        {
            map = [];
            target[field] = map;
        }

        map[key] = value;
    }
}
