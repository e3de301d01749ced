using System.Globalization;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>How a catalogue value is written (all values travel as strings).</summary>
public enum CustomFieldType
{
    Text,
    Integer,
    Boolean,
    Choice,
}

/// <summary>Where a catalogue field's value comes from in our resource model.</summary>
public enum CustomFieldSource
{
    /// <summary>Belongs in the custom configuration map.</summary>
    CustomConfiguration,

    /// <summary>A first-class spec field (account, user, fallback skill, ...); not allowed in the map.</summary>
    SpecField,

    /// <summary>A secret: only from a Secret, never a plain value.</summary>
    Secret,

    /// <summary>Internal to the hosted product; accepted and ignored.</summary>
    Internal,
}

/// <summary>One field of the custom configuration catalogue.</summary>
public sealed record CustomFieldDefinition(
    string Key,
    CustomFieldType Type,
    CustomFieldSource Source,
    string? DefaultValue,
    long? Minimum,
    long? Maximum,
    IReadOnlyList<string> AllowedValues,
    bool AppliesToMessaging,
    bool AppliesToChat,
    string Unit,
    string Description)
{
    public bool IsSecret => Source == CustomFieldSource.Secret;

    public bool AppliesTo(bool messaging) => messaging ? AppliesToMessaging : AppliesToChat;
}

/// <summary>
/// The agent connector custom configuration catalogue: every known key with its type, range,
/// default, the conversation types it applies to, and whether it is a secret. Dependency-free so the
/// operator can validate a resource with the same rules the connector applies at start.
/// </summary>
public static class CustomConfigurationCatalogue
{
    public const string MessageDelay = "messageDelay";
    public const string RingAcceptWait = "ringAcceptWait";
    public const string FallbackEscalationTime = "fallbackEscalationTime";
    public const string DefaultGreetingMessage = "defaultGreetingMessage";
    public const string DefaultStepupMessage = "defaultStepupMessage";
    public const string SkipAgentMessage = "skipAgentMessage";
    public const string TileDisplay = "tileDisplay";
    public const string MessageResendMaxRetries = "messageResendMaxRetries";
    public const string RetryMessageInterval = "retryMessageInterval";
    public const string MaxEscalationRetries = "maxEscalationRetries";
    public const string AcceptStatusEventValue = "acceptStatusEventValue";
    public const string EnableButtonTextOnPostback = "enableButtonTextOnPostback";
    public const string MaxConsumerMessageDelay = "maxConsumerMessageDelay";

    private static readonly string[] NoChoices = [];

    public static IReadOnlyList<CustomFieldDefinition> Fields { get; } =
    [
        Spec("lpAccountId", "account (site) number"),
        Spec("lpAccountUser", "login name of the bot agent user"),
        Secret("lpPassword", messagingOnly: false, "password login"),
        Secret("lpAppKey", messagingOnly: false, "API-key login: app key"),
        Secret("lpAppSecret", messagingOnly: false, "API-key login: app secret"),
        Secret("lpAccessToken", messagingOnly: false, "API-key login: access token"),
        Secret("lpAccessTokenSecret", messagingOnly: false, "API-key login: access token secret"),
        Spec("csdsDomain", "domain-lookup service host"),
        Spec("lpUserRole", "ASSIGNED_AGENT or MANAGER"),
        Spec("enableAccessibility", "tooltip attributes on fields sent to the channel"),
        Spec("fallbackSkillId", "skill to escalate to when the bot does not answer in time"),
        Spec("externalWebhookUrl", "HTTP connector: post consumer messages to this URL"),
        Secret("externalWebhookAPIKey", messagingOnly: true, "bearer key for the external webhook"),
        Number(FallbackEscalationTime, 180_000, 100, 86_400_000, "ms", "time without a bot reply before fallback escalation"),
        Text(DefaultGreetingMessage, "hi", messagingOnly: false, "sent to the bot when the consumer connects"),
        Text(DefaultStepupMessage, "_STEPUP_", messagingOnly: true, "sent to the bot when step-up authentication happens"),
        Number(MessageDelay, 300, 0, 60_000, "ms", "consumer messages within this window are joined with a space"),
        Flag(SkipAgentMessage, false, "a transferred conversation starts from the last consumer message"),
        Choose(TileDisplay, "vertical", ["vertical", "horizontal"], "rich-content tile layout"),
        Number(MessageResendMaxRetries, 1, 0, 10, "count", "resends to the bot when neither a reply nor a seen mark came back"),
        Number(RetryMessageInterval, 30_000, 100, 3_600_000, "ms", "wait before such a resend"),
        Number(MaxEscalationRetries, 5, 0, 50, "count", "cap on _agent_escalation_failed_ messages"),
        Number(RingAcceptWait, 100, 0, 60_000, "ms", "wait before accepting a routing ring"),
        Choose(AcceptStatusEventValue, "READ", ["READ", "SENT"], "how a consumer's message is acknowledged"),
        Flag(EnableButtonTextOnPostback, false, "show a button's label, not its callback value"),
        Number(MaxConsumerMessageDelay, 30, 1, 10_080, "minutes", "a consumer message later than this after the previous one is ignored"),
        new("useRedis", CustomFieldType.Choice, CustomFieldSource.Internal, "WEBSOCKET", null, null, ["WEBSOCKET", "REDIS"], false, false, "", "internal transport switch"),
        Text("apigee_auth_url", null, messagingOnly: true, "brand-specific auth: URL"),
        Text("apigee_grant_type", null, messagingOnly: true, "brand-specific auth: grant type"),
        Text("apigee_audience", null, messagingOnly: true, "brand-specific auth: audience"),
        Text("apigee_client_id", null, messagingOnly: true, "brand-specific auth: client id"),
        Secret("apigee_client_secret", messagingOnly: true, "brand-specific auth: client secret"),
    ];

    private static readonly Dictionary<string, CustomFieldDefinition> ByKey =
        Fields.ToDictionary(f => f.Key, StringComparer.Ordinal);

    /// <summary>The field with this exact (case-sensitive) key, or null.</summary>
    public static CustomFieldDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>
    /// Checks one key/value of a custom configuration map. Returns an error sentence (never echoing a
    /// secret value) or null when the value is acceptable.
    /// </summary>
    public static string? Check(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var field = Find(key);
        if (field is null)
        {
            var hint = Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
            return hint is null
                ? $"custom configuration key '{key}' is not in the catalogue"
                : $"custom configuration key '{key}' is not in the catalogue (keys are case-sensitive; did you mean '{hint.Key}'?)";
        }

        switch (field.Source)
        {
            case CustomFieldSource.Secret:
                return $"custom configuration key '{key}' is a secret: it must come from a Secret, not the custom configuration";
            case CustomFieldSource.SpecField:
                return $"custom configuration key '{key}' is a first-class setting of the connector, not a custom configuration key";
            default:
                break;
        }

        switch (field.Type)
        {
            case CustomFieldType.Integer:
                if (!long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return $"custom configuration key '{key}' must be a whole number ({field.Unit}), got '{value}'";
                }

                if (number < field.Minimum || number > field.Maximum)
                {
                    return $"custom configuration key '{key}' must be between {field.Minimum} and {field.Maximum} {field.Unit}, got {number}";
                }

                return null;
            case CustomFieldType.Boolean:
                return bool.TryParse(value.Trim(), out _)
                    ? null
                    : $"custom configuration key '{key}' must be 'true' or 'false', got '{value}'";
            case CustomFieldType.Choice:
                return field.AllowedValues.Contains(value.Trim(), StringComparer.Ordinal)
                    ? null
                    : $"custom configuration key '{key}' must be one of {string.Join(", ", field.AllowedValues)}, got '{value}'";
            default:
                return value.Length > 4000
                    ? $"custom configuration key '{key}' is longer than 4000 characters"
                    : null;
        }
    }

    /// <summary>
    /// Checks a whole custom configuration map for a conversation type: every error sentence, plus a
    /// warning for each key that does not apply to that type (it will be ignored).
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> values, bool messaging, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<string>();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (Check(key, value) is { } error)
            {
                errors.Add(error);
            }
            else if (Find(key) is { } field && (field.Source == CustomFieldSource.Internal || !field.AppliesTo(messaging)))
            {
                warnings?.Add($"custom configuration key '{key}' does not apply to {(messaging ? "Messaging" : "Chat")} connectors and is ignored");
            }
        }

        return errors;
    }

    private static CustomFieldDefinition Spec(string key, string description) =>
        new(key, CustomFieldType.Text, CustomFieldSource.SpecField, null, null, null, NoChoices, true, true, "", description);

    private static CustomFieldDefinition Secret(string key, bool messagingOnly, string description) =>
        new(key, CustomFieldType.Text, CustomFieldSource.Secret, null, null, null, NoChoices, true, !messagingOnly, "", description);

    private static CustomFieldDefinition Number(string key, long defaultValue, long min, long max, string unit, string description) =>
        new(key, CustomFieldType.Integer, CustomFieldSource.CustomConfiguration,
            defaultValue.ToString(CultureInfo.InvariantCulture), min, max, NoChoices, true, false, unit, description);

    private static CustomFieldDefinition Text(string key, string? defaultValue, bool messagingOnly, string description) =>
        new(key, CustomFieldType.Text, CustomFieldSource.CustomConfiguration, defaultValue, null, null, NoChoices, true, !messagingOnly, "", description);

    private static CustomFieldDefinition Flag(string key, bool defaultValue, string description) =>
        new(key, CustomFieldType.Boolean, CustomFieldSource.CustomConfiguration,
            defaultValue ? "true" : "false", null, null, NoChoices, true, false, "", description);

    private static CustomFieldDefinition Choose(string key, string defaultValue, string[] choices, string description) =>
        new(key, CustomFieldType.Choice, CustomFieldSource.CustomConfiguration, defaultValue, null, null, choices, true, false, "", description);
}
