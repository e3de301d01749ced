using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Serialization;

/// <summary>Reads and writes a list envelope, each item through the options' own type info for <typeparamref name="T"/>.</summary>
public sealed class KubernetesListConverter<T> : JsonConverter<KubernetesList<T>>
    where T : IKubernetesObject
{
    public override KubernetesList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"expected a list object, got {reader.TokenType}");
        var list = new KubernetesList<T>([]);
        var item = options.TypeInfo<T>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8)) { reader.Read(); list.ApiVersion = reader.GetString(); }
            else if (reader.ValueTextEquals("kind"u8)) { reader.Read(); list.Kind = reader.GetString(); }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                list.Metadata = JsonSerializer.Deserialize(ref reader, options.TypeInfo<V1ListMeta>()) ?? new V1ListMeta();
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"list items must be an array, got {reader.TokenType}");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    list.Items.Add(JsonSerializer.Deserialize(ref reader, item)!);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated list");
        return list;
    }

    public override void Write(Utf8JsonWriter writer, KubernetesList<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        writer.WriteStartObject();
        if (value.ApiVersion is { } apiVersion) writer.WriteString("apiVersion", apiVersion);
        if (value.Kind is { } kind) writer.WriteString("kind", kind);
        writer.WritePropertyName("metadata");
        JsonSerializer.Serialize(writer, value.Metadata, options.TypeInfo<V1ListMeta>());
        writer.WritePropertyName("items");
        var item = options.TypeInfo<T>();
        writer.WriteStartArray();
        foreach (var entry in value.Items) JsonSerializer.Serialize(writer, entry, item);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
