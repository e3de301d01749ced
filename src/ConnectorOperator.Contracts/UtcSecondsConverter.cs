using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Contracts;

/// <summary>Times in the contract as Kubernetes writes them: RFC 3339 in UTC, whole seconds (<c>2026-11-21T10:00:00Z</c>).</summary>
public sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        return DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new JsonException($"'{reader.GetString()}' is not an RFC 3339 time");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } at)
            writer.WriteStringValue(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        else
            writer.WriteNullValue();
    }
}
