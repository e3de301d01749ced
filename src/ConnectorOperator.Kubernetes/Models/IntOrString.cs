using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Kubernetes.Models;

/// <summary>A value the API writes either as a number or as a string ("8080", "http", "50%").</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    private readonly string? _text;

    public IntOrString(int value) { IntValue = value; _text = null; }
    public IntOrString(string value) { IntValue = null; _text = value ?? throw new ArgumentNullException(nameof(value)); }

    public int? IntValue { get; }
    public string? StringValue => _text;
    public bool IsInt => IntValue.HasValue;

    public static implicit operator IntOrString(int value) => new(value);
    public static implicit operator IntOrString(string value) => new(value);
    public static IntOrString FromInt32(int value) => new(value);
    public static IntOrString FromString(string value) => new(value);

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? _text ?? "";
}

public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => new IntOrString(reader.GetInt32()),
            JsonTokenType.String => new IntOrString(reader.GetString()!),
            _ => throw new JsonException($"expected a number or a string, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IntValue is { } i) writer.WriteNumberValue(i);
        else writer.WriteStringValue(value.StringValue);
    }
}
