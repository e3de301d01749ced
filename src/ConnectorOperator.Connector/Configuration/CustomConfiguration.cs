using System.Globalization;
using System.Text.Json;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>The custom configuration as typed options, defaults from <see cref="CustomConfigurationCatalogue"/>.</summary>
public sealed record CustomConfiguration
{
    public TimeSpan MessageDelay { get; init; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan RingAcceptWait { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan FallbackEscalationTime { get; init; } = TimeSpan.FromMilliseconds(180_000);
    public string DefaultGreetingMessage { get; init; } = "hi";
    public string DefaultStepupMessage { get; init; } = "_STEPUP_";
    public bool SkipAgentMessage { get; init; }
    public string TileDisplay { get; init; } = "vertical";
    public int MessageResendMaxRetries { get; init; } = 1;
    public TimeSpan RetryMessageInterval { get; init; } = TimeSpan.FromMilliseconds(30_000);
    public int MaxEscalationRetries { get; init; } = 5;
    public string AcceptStatusEventValue { get; init; } = "READ";
    public bool EnableButtonTextOnPostback { get; init; }
    public TimeSpan MaxConsumerMessageDelay { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Catalogue keys without a typed option (brand-specific auth fields) kept as given.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Parses the JSON map. Values may be strings (the contract), numbers or booleans. Errors are
    /// sentences for the operator; warnings name keys ignored for this conversation type.
    /// </summary>
    public static CustomConfiguration Parse(string? json, bool messaging, List<string> errors, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        var result = new CustomConfiguration();
        if (string.IsNullOrWhiteSpace(json))
        {
            return result;
        }

        Dictionary<string, string> values;
        try
        {
            values = ReadMap(json, errors);
        }
        catch (JsonException ex)
        {
            errors.Add($"CONNECTOR_CUSTOM_CONFIGURATION is not valid JSON: {ex.Message}");
            return result;
        }

        errors.AddRange(CustomConfigurationCatalogue.Validate(values, messaging, warnings));
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var field = CustomConfigurationCatalogue.Find(key);
            if (field is null || CustomConfigurationCatalogue.Check(key, value) is not null
                || field.Source == CustomFieldSource.Internal || !field.AppliesTo(messaging))
            {
                continue;
            }

            result = Apply(result, key, value.Trim(), extra);
        }

        return result with { Extra = extra };
    }

    private static Dictionary<string, string> ReadMap(string json, List<string> errors)
    {
        using var document = JsonDocument.Parse(json);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add("CONNECTOR_CUSTOM_CONFIGURATION must be a JSON object of string values");
            return map;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    map[property.Name] = property.Value.GetString()!;
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    map[property.Name] = property.Value.GetRawText();
                    break;
                default:
                    errors.Add($"custom configuration key '{property.Name}' must be a string value, got {property.Value.ValueKind.ToString().ToLowerInvariant()}");
                    break;
            }
        }

        return map;
    }

    private static CustomConfiguration Apply(CustomConfiguration c, string key, string value, Dictionary<string, string> extra)
    {
        long Number() => long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        bool Flag() => bool.Parse(value);
        return key switch
        {
            CustomConfigurationCatalogue.MessageDelay => c with { MessageDelay = TimeSpan.FromMilliseconds(Number()) },
            CustomConfigurationCatalogue.RingAcceptWait => c with { RingAcceptWait = TimeSpan.FromMilliseconds(Number()) },
            CustomConfigurationCatalogue.FallbackEscalationTime => c with { FallbackEscalationTime = TimeSpan.FromMilliseconds(Number()) },
            CustomConfigurationCatalogue.DefaultGreetingMessage => c with { DefaultGreetingMessage = value },
            CustomConfigurationCatalogue.DefaultStepupMessage => c with { DefaultStepupMessage = value },
            CustomConfigurationCatalogue.SkipAgentMessage => c with { SkipAgentMessage = Flag() },
            CustomConfigurationCatalogue.TileDisplay => c with { TileDisplay = value },
            CustomConfigurationCatalogue.MessageResendMaxRetries => c with { MessageResendMaxRetries = (int)Number() },
            CustomConfigurationCatalogue.RetryMessageInterval => c with { RetryMessageInterval = TimeSpan.FromMilliseconds(Number()) },
            CustomConfigurationCatalogue.MaxEscalationRetries => c with { MaxEscalationRetries = (int)Number() },
            CustomConfigurationCatalogue.AcceptStatusEventValue => c with { AcceptStatusEventValue = value },
            CustomConfigurationCatalogue.EnableButtonTextOnPostback => c with { EnableButtonTextOnPostback = Flag() },
            CustomConfigurationCatalogue.MaxConsumerMessageDelay => c with { MaxConsumerMessageDelay = TimeSpan.FromMinutes(Number()) },
            _ => Keep(c, key, value, extra),
        };
    }

    private static CustomConfiguration Keep(CustomConfiguration c, string key, string value, Dictionary<string, string> extra)
    {
        extra[key] = value;
        return c;
    }
}
