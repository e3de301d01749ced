using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConnectorOperator.Kubernetes.Serialization;

namespace ConnectorOperator.Api;

/// <summary>
/// metav1.Time in the AgentConnector's own fields: RFC 3339, whole seconds on write (as the API server stores
/// it); reads as <see cref="ApiTimeConverter"/> does.
/// </summary>
public sealed class TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(ApiTimeConverter.Parse(reader.GetString() ?? throw new JsonException("time must be a string")), TimeSpan.Zero);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
