using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Kubernetes.Serialization;

/// <summary>
/// metav1.Time and metav1.MicroTime on the wire. KubernetesClient writes fractional seconds with trailing zeros
/// trimmed ("…:05.1234Z", "…:05Z"); the API server parses MicroTime (Lease renewTime, Event eventTime) with an
/// exact six-digit layout and refuses those. Six digits are always written: valid for both kinds, since Time
/// accepts a fraction. On read, digits past the seventh are dropped (.NET keeps 100 ns ticks).
/// </summary>
public sealed class ApiTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Every timestamp of a list passes here: the reader's own ISO 8601 parse works on the UTF-8 bytes, with no
        // string and no culture-aware parser; the general parse below is the fallback for forms it refuses.
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"time must be a string, not {reader.TokenType}");
        if (reader.TryGetDateTime(out var fast))
        {
            return fast.Kind switch
            {
                DateTimeKind.Utc => fast,
                DateTimeKind.Local => fast.ToUniversalTime(),
                _ => DateTime.SpecifyKind(fast, DateTimeKind.Utc),
            };
        }
        return Parse(reader.GetString()!);
    }

    /// <summary>An RFC 3339 time as UTC, with any number of fractional digits.</summary>
    public static DateTime Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
        }
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
        writer.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }
}
