using System.Globalization;

namespace ConnectorOperator.Contracts;

/// <summary>One field of the agent connector's custom configuration: its type, bounds, default and where it applies.</summary>
public sealed class CustomConfigurationEntry
{
    /// <summary>Longest free-text value accepted; connector settings are short (greetings, hosts, ids).</summary>
    public const int MaxStringLength = 1024;

    // Values echoed in messages are cut so a pasted blob does not flood a status condition.
    private const int MaxEchoedLength = 40;

    internal const string MillisecondsUnit = "milliseconds";
    internal const string MinutesUnit = "minutes";
    internal const string RetriesUnit = "retries";

    internal CustomConfigurationEntry(
        string key,
        CustomConfigurationValueKind kind,
        string description,
        bool messaging,
        bool chat)
    {
        Key = key;
        Kind = kind;
        Description = description;
        AppliesToMessaging = messaging;
        AppliesToChat = chat;
    }

    /// <summary>The key as written in customConfiguration (case-sensitive).</summary>
    public string Key { get; }

    public CustomConfigurationValueKind Kind { get; }

    public string Description { get; }

    public bool AppliesToMessaging { get; }

    public bool AppliesToChat { get; }

    /// <summary>The connector's value when the key is absent; null when there is none.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>For <see cref="CustomConfigurationValueKind.Integer"/>: "milliseconds", "minutes", "retries", ...</summary>
    public string? Unit { get; init; }

    /// <summary>Smallest accepted integer, inclusive.</summary>
    public long? Minimum { get; init; }

    /// <summary>Largest accepted integer, inclusive.</summary>
    public long? Maximum { get; init; }

    /// <summary>For <see cref="CustomConfigurationValueKind.Enum"/>: the accepted values, case-sensitive.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>A credential: it must come from a Secret, never from the resource.</summary>
    public bool IsSecret { get; init; }

    /// <summary>An identity or behaviour setting the resource has a first-class field for (accountId, role, ...).</summary>
    public bool IsFirstClass { get; init; }

    /// <summary>Where the value belongs instead of customConfiguration; null for a secret nothing carries yet.</summary>
    public string? UseInstead { get; init; }

    /// <summary>True when the key must not appear in customConfiguration at all (secret or first-class).</summary>
    public bool IsReserved => IsSecret || IsFirstClass;

    public bool AppliesTo(ConversationType kind) => kind switch
    {
        ConversationType.Messaging => AppliesToMessaging,
        ConversationType.Chat => AppliesToChat,
        _ => false,
    };

    /// <summary>
    /// Checks a value's type and range. Returns null when valid, otherwise a message about the value alone
    /// (callers prefix the field). Secret values are never echoed.
    /// </summary>
    public string? Validate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Kind switch
        {
            CustomConfigurationValueKind.Integer => ValidateInteger(value),
            CustomConfigurationValueKind.Boolean => bool.TryParse(value, out _) ? null : $"{Echo(value)} is not true or false",
            CustomConfigurationValueKind.Enum => ValidateEnum(value),
            _ => value.Length <= MaxStringLength ? null : $"{(IsSecret ? "the value" : Echo(value))} is longer than {MaxStringLength} characters",
        };
    }

    /// <summary>"a whole number of milliseconds (0-60000)": the shape a valid value takes, for messages and docs.</summary>
    public string ExpectedShape() => Kind switch
    {
        CustomConfigurationValueKind.Integer => $"a whole number{(Unit is null ? "" : " of " + Unit)}{Bounds()}",
        CustomConfigurationValueKind.Boolean => "true or false",
        CustomConfigurationValueKind.Enum => "one of " + string.Join(", ", AllowedValues),
        _ => $"text of at most {MaxStringLength} characters",
    };

    /// <summary>An <see cref="CustomConfigurationValueKind.Integer"/> entry counted in time (milliseconds or minutes).</summary>
    public bool IsDuration => Kind == CustomConfigurationValueKind.Integer && Unit is MillisecondsUnit or MinutesUnit;

    /// <summary>The default as a number; throws when the entry is not an integer or has no default.</summary>
    public long DefaultInteger => ToInteger(RequireDefault());

    /// <summary>The default as true/false; throws when the entry is not a boolean or has no default.</summary>
    public bool DefaultBoolean => ToBoolean(RequireDefault());

    /// <summary>The default as a time span in the entry's unit; throws when the entry is not a duration or has no default.</summary>
    public TimeSpan DefaultDuration => ToDuration(RequireDefault());

    /// <summary>A value <see cref="Validate"/> accepts, as a number; a refused one throws <see cref="FormatException"/>.</summary>
    public long ToInteger(string value)
    {
        RequireKind(CustomConfigurationValueKind.Integer);
        ThrowIfInvalid(value);
        return long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>A value <see cref="Validate"/> accepts, as true/false; a refused one throws <see cref="FormatException"/>.</summary>
    public bool ToBoolean(string value)
    {
        RequireKind(CustomConfigurationValueKind.Boolean);
        ThrowIfInvalid(value);
        return bool.Parse(value);
    }

    /// <summary>A value <see cref="Validate"/> accepts, as a time span read in <see cref="Unit"/>.</summary>
    public TimeSpan ToDuration(string value)
    {
        if (!IsDuration)
        {
            throw new InvalidOperationException($"{Key} is not a duration");
        }
        var number = ToInteger(value);
        return Unit == MinutesUnit ? TimeSpan.FromMinutes(number) : TimeSpan.FromMilliseconds(number);
    }

    public override string ToString() => Key;

    private string RequireDefault() => DefaultValue ?? throw new InvalidOperationException($"{Key} has no default");

    private void RequireKind(CustomConfigurationValueKind kind)
    {
        if (Kind != kind)
        {
            throw new InvalidOperationException($"{Key} is {Kind}, not {kind}");
        }
    }

    private void ThrowIfInvalid(string value)
    {
        if (Validate(value) is { } error)
        {
            throw new FormatException($"{Key}: {error}");
        }
    }

    private string? ValidateInteger(string value)
    {
        // Plain digits with an optional minus: no spaces, thousands separators or exponents, which the connector would not read.
        var digits = value.StartsWith('-') ? value[1..] : value;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
            || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return $"{Echo(value)} is not {ExpectedShape()}";
        }
        if ((Minimum is { } min && number < min) || (Maximum is { } max && number > max))
        {
            return $"{value} is out of range: must be {ExpectedShape()}";
        }
        return null;
    }

    private string? ValidateEnum(string value)
    {
        if (AllowedValues.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }
        var sameLetters = AllowedValues.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        return sameLetters is null
            ? $"{Echo(value)} is not {ExpectedShape()}"
            : $"{Echo(value)} is not {ExpectedShape()} (values are case-sensitive: use \"{sameLetters}\")";
    }

    private string Bounds() => (Minimum, Maximum) switch
    {
        ({ } min, { } max) => string.Create(CultureInfo.InvariantCulture, $" ({min}-{max})"),
        ({ } min, null) => string.Create(CultureInfo.InvariantCulture, $" (at least {min})"),
        (null, { } max) => string.Create(CultureInfo.InvariantCulture, $" (at most {max})"),
        _ => "",
    };

    private static string Echo(string value) =>
        "\"" + (value.Length <= MaxEchoedLength ? value : value[..MaxEchoedLength] + "...") + "\"";
}
