using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Kubernetes.Serialization;

/// <summary>
/// RFC 3339 times. The API writes metav1.Time with seconds and MicroTime with six fractional digits;
/// some servers send nine. .NET keeps 100 ns ticks, so digits past the seventh are dropped on read.
/// </summary>
internal static class Rfc3339
{
    public static DateTimeOffset Parse(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
        }
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public static string Format(DateTimeOffset value, bool micro) =>
        value.UtcDateTime.ToString(micro ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>metav1.Time: whole seconds on write.</summary>
public sealed class TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Rfc3339.Parse(reader.GetString() ?? throw new JsonException("time must be a string"));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Rfc3339.Format(value, micro: false));
    }
}

/// <summary>metav1.MicroTime: six fractional digits on write (Lease renewals, Event times).</summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => false;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Rfc3339.Parse(reader.GetString() ?? throw new JsonException("time must be a string"));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v) writer.WriteStringValue(Rfc3339.Format(v, micro: true));
        else writer.WriteNullValue();
    }
}

/// <summary>The non-nullable MicroTime form.</summary>
public sealed class RequiredMicroTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Rfc3339.Parse(reader.GetString() ?? throw new JsonException("time must be a string"));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Rfc3339.Format(value, micro: true));
    }
}
