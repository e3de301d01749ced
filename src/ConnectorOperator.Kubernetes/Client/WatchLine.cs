using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConnectorOperator.Kubernetes.Models;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>Decodes one line of a watch stream: {"type": "...", "object": {...}}, in either key order.</summary>
internal static class WatchLine
{
    public static WatchEvent<T> Parse<T>(ReadOnlySequence<byte> line, JsonTypeInfo<T> typeInfo, JsonTypeInfo<V1Status> statusInfo)
    {
        var reader = new Utf8JsonReader(line);
        WatchEventType? type = null;
        T? obj = default;
        V1Status? status = null;
        JsonElement? deferred = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("watch line is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ParseType(reader.GetString());
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                if (type is null)
                {
                    // The object came first: keep it until we know whether it is a Status.
                    deferred = JsonElement.ParseValue(ref reader);
                }
                else if (type == WatchEventType.Error)
                {
                    status = JsonSerializer.Deserialize(ref reader, statusInfo);
                }
                else
                {
                    obj = JsonSerializer.Deserialize(ref reader, typeInfo);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (type is null) throw new JsonException("watch line has no type");
        if (deferred is { } element)
        {
            if (type == WatchEventType.Error) status = element.Deserialize(statusInfo);
            else obj = element.Deserialize(typeInfo);
        }
        return new WatchEvent<T>(type.Value, obj, status);
    }

    private static WatchEventType ParseType(string? type) => type switch
    {
        "ADDED" => WatchEventType.Added,
        "MODIFIED" => WatchEventType.Modified,
        "DELETED" => WatchEventType.Deleted,
        "BOOKMARK" => WatchEventType.Bookmark,
        "ERROR" => WatchEventType.Error,
        _ => throw new JsonException($"unknown watch event type '{type}'"),
    };
}
