using System.Text.Json;
using ConnectorOperator.Contracts;
using Key = ConnectorOperator.Contracts.CustomConfigurationKeys;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>
/// The custom configuration as typed options. Keys, bounds and defaults all come from the shared
/// <see cref="CustomConfigurationCatalogue"/>, the one the operator validates a resource with.
/// </summary>
public sealed record CustomConfiguration
{
    public TimeSpan MessageDelay { get; init; } = Entry(Key.MessageDelay).DefaultDuration;
    public TimeSpan RingAcceptWait { get; init; } = Entry(Key.RingAcceptWait).DefaultDuration;
    public TimeSpan FallbackEscalationTime { get; init; } = Entry(Key.FallbackEscalationTime).DefaultDuration;
    public string DefaultGreetingMessage { get; init; } = Entry(Key.DefaultGreetingMessage).DefaultValue!;
    public string DefaultStepupMessage { get; init; } = Entry(Key.DefaultStepupMessage).DefaultValue!;
    public bool SkipAgentMessage { get; init; } = Entry(Key.SkipAgentMessage).DefaultBoolean;
    public string TileDisplay { get; init; } = Entry(Key.TileDisplay).DefaultValue!;
    public int MessageResendMaxRetries { get; init; } = (int)Entry(Key.MessageResendMaxRetries).DefaultInteger;
    public TimeSpan RetryMessageInterval { get; init; } = Entry(Key.RetryMessageInterval).DefaultDuration;
    public int MaxEscalationRetries { get; init; } = (int)Entry(Key.MaxEscalationRetries).DefaultInteger;
    public string AcceptStatusEventValue { get; init; } = Entry(Key.AcceptStatusEventValue).DefaultValue!;
    public bool EnableButtonTextOnPostback { get; init; } = Entry(Key.EnableButtonTextOnPostback).DefaultBoolean;
    public TimeSpan MaxConsumerMessageDelay { get; init; } = Entry(Key.MaxConsumerMessageDelay).DefaultDuration;

    /// <summary>The resource's own domain-lookup host (QA accounts); null when not given.</summary>
    public string? CsdsDomain { get; init; }

    /// <summary>Catalogue keys without a typed option (brand-specific auth fields) kept as given.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Parses the JSON map. Values may be strings (the contract), numbers or booleans. Errors are
    /// sentences for the operator; warnings name keys that are ignored (unknown, or not for this conversation kind).
    /// </summary>
    public static CustomConfiguration Parse(string? json, ConversationType kind, List<string> errors, List<string> warnings)
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
            errors.Add($"{ConnectorEnvironment.CustomConfiguration} is not valid JSON: {ex.Message}");
            return result;
        }

        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (Admit(key, value, kind, errors, warnings) is { } entry)
            {
                result = Apply(result, entry, value, extra);
            }
        }

        return result with { Extra = extra };
    }

    private static CustomConfigurationEntry Entry(string key) => CustomConfigurationCatalogue.Get(key);

    /// <summary>
    /// The catalogue entry when the value is to be used; otherwise null with an error (secret, first-class,
    /// bad value) or a warning (unknown key or one this kind ignores, as the operator warns about them too).
    /// </summary>
    private static CustomConfigurationEntry? Admit(string key, string value, ConversationType kind, List<string> errors, List<string> warnings)
    {
        if (!CustomConfigurationCatalogue.TryGet(key, out var entry))
        {
            var hint = CustomConfigurationCatalogue.ClosestMatch(key) is { } match ? $" (did you mean '{match.Key}'?)" : "";
            warnings.Add($"custom configuration key '{key}' is not in the catalogue and is ignored{hint}");
            return null;
        }

        if (entry.IsSecret)
        {
            errors.Add(entry.UseInstead is { } useInstead
                ? $"custom configuration key '{key}' is a secret: it must come from a Secret, not the custom configuration: put it in {useInstead}"
                : $"custom configuration key '{key}' is a secret: it must come from a Secret, not the custom configuration");
            return null;
        }

        if (entry.IsFirstClass)
        {
            errors.Add($"custom configuration key '{key}' is a first-class setting of the connector, not a custom configuration key");
            return null;
        }

        if (entry.Validate(value) is { } problem)
        {
            errors.Add($"custom configuration key '{key}': {problem}");
            return null;
        }

        if (!entry.AppliesTo(kind))
        {
            warnings.Add(entry.AppliesToMessaging || entry.AppliesToChat
                ? $"custom configuration key '{key}' does not apply to {kind} connectors and is ignored"
                : $"custom configuration key '{key}' is an internal switch no connector uses and is ignored");
            return null;
        }

        return entry;
    }

    private static Dictionary<string, string> ReadMap(string json, List<string> errors)
    {
        using var document = JsonDocument.Parse(json);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{ConnectorEnvironment.CustomConfiguration} must be a JSON object of string values");
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

    private static CustomConfiguration Apply(CustomConfiguration c, CustomConfigurationEntry entry, string value, Dictionary<string, string> extra) =>
        entry.Key switch
        {
            Key.MessageDelay => c with { MessageDelay = entry.ToDuration(value) },
            Key.RingAcceptWait => c with { RingAcceptWait = entry.ToDuration(value) },
            Key.FallbackEscalationTime => c with { FallbackEscalationTime = entry.ToDuration(value) },
            Key.DefaultGreetingMessage => c with { DefaultGreetingMessage = value },
            Key.DefaultStepupMessage => c with { DefaultStepupMessage = value },
            Key.SkipAgentMessage => c with { SkipAgentMessage = entry.ToBoolean(value) },
            Key.TileDisplay => c with { TileDisplay = value },
            Key.MessageResendMaxRetries => c with { MessageResendMaxRetries = (int)entry.ToInteger(value) },
            Key.RetryMessageInterval => c with { RetryMessageInterval = entry.ToDuration(value) },
            Key.MaxEscalationRetries => c with { MaxEscalationRetries = (int)entry.ToInteger(value) },
            Key.AcceptStatusEventValue => c with { AcceptStatusEventValue = value },
            Key.EnableButtonTextOnPostback => c with { EnableButtonTextOnPostback = entry.ToBoolean(value) },
            Key.MaxConsumerMessageDelay => c with { MaxConsumerMessageDelay = entry.ToDuration(value) },
            Key.CsdsDomain => c with { CsdsDomain = value },
            _ => Keep(c, entry.Key, value, extra),
        };

    private static CustomConfiguration Keep(CustomConfiguration c, string key, string value, Dictionary<string, string> extra)
    {
        extra[key] = value;
        return c;
    }
}
