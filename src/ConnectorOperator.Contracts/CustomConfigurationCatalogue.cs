using System.Collections.Frozen;
using Key = ConnectorOperator.Contracts.CustomConfigurationKeys;

namespace ConnectorOperator.Contracts;

/// <summary>
/// Every custom configuration field an agent connector knows (docs: /work/shared/reference/custom-configuration.md,
/// the newer field descriptions winning over the older flag table). The bounds on integers are this project's own
/// guard rails: the source documents give defaults, not limits.
/// </summary>
public static class CustomConfigurationCatalogue
{
    private const string CredentialsSecret = "the agent user's credentials Secret (spec.agentUsers[].credentialsSecretRef)";

    /// <summary>All entries in catalogue order.</summary>
    public static IReadOnlyList<CustomConfigurationEntry> Entries { get; } = Build();

    private static readonly FrozenDictionary<string, CustomConfigurationEntry> ByKey =
        Entries.ToFrozenDictionary(e => e.Key, StringComparer.Ordinal);

    /// <summary>Looks a key up exactly (keys are case-sensitive, as the connector reads them).</summary>
    public static bool TryGet(string key, out CustomConfigurationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ByKey.TryGetValue(key, out var found))
        {
            entry = found;
            return true;
        }
        entry = null!;
        return false;
    }

    /// <summary>The entry of a key known at compile time (<see cref="CustomConfigurationKeys"/>); throws for any other.</summary>
    public static CustomConfigurationEntry Get(string key) =>
        TryGet(key, out var entry) ? entry : throw new KeyNotFoundException($"{key} is not a custom configuration key");

    /// <summary>The entry whose key differs only in letter case or by a small typo, to suggest in a warning.</summary>
    public static CustomConfigurationEntry? ClosestMatch(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sameLetters = Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));
        if (sameLetters is not null)
        {
            return sameLetters;
        }
        var best = Entries
            .Select(e => (Entry: e, Distance: EditDistance.Between(e.Key.ToUpperInvariant(), key.ToUpperInvariant())))
            .OrderBy(c => c.Distance)
            .First();
        return best.Distance <= 2 ? best.Entry : null;
    }

    private static CustomConfigurationEntry[] Build() =>
    [
        // Identity and credentials: set through the resource's own fields or Secrets, never here.
        FirstClass(Key.AccountId, "The account (site) number.", "spec.accountId", messaging: true, chat: true),
        FirstClass(Key.AccountUser, "Login name of the bot agent user.", "spec.agentUsers[].loginName", messaging: true, chat: true),
        Secret(Key.Password, "Password login; API-key login is preferred (more secure, does not expire).",
            $"{CredentialsSecret}, key {AgentCredentialKeys.Password}"),
        Secret(Key.AppKey, "API-key (OAuth 1) login, used with lpAppSecret, lpAccessToken and lpAccessTokenSecret.",
            $"{CredentialsSecret}, key {AgentCredentialKeys.AppKey}"),
        Secret(Key.AppSecret, "API-key login secret.", $"{CredentialsSecret}, key {AgentCredentialKeys.AppSecret}"),
        Secret(Key.AccessToken, "API-key login access token.", $"{CredentialsSecret}, key {AgentCredentialKeys.AccessToken}"),
        Secret(Key.AccessTokenSecret, "API-key login access token secret.",
            $"{CredentialsSecret}, key {AgentCredentialKeys.AccessTokenSecret}"),
        Text(Key.CsdsDomain, "Domain-lookup service host; set for QA accounts or a simulator.", messaging: true, chat: true, defaultValue: null),
        new(Key.UserRole, CustomConfigurationValueKind.Enum, "ASSIGNED_AGENT or MANAGER.", messaging: true, chat: false)
        {
            AllowedValues = ["ASSIGNED_AGENT", "MANAGER"],
            DefaultValue = "ASSIGNED_AGENT",
            IsFirstClass = true,
            UseInstead = "spec.role (Agent or Manager)",
        },

        // Behaviour.
        new(Key.EnableAccessibility, CustomConfigurationValueKind.Boolean,
            "Fields sent to the channel carry a tooltip attribute.", messaging: true, chat: true)
        {
            DefaultValue = "true",
            IsFirstClass = true,
            UseInstead = "spec.accessibility",
        },
        new(Key.FallbackSkillId, CustomConfigurationValueKind.String,
            "Skill to escalate to when the bot does not answer in time.", messaging: true, chat: true)
        {
            IsFirstClass = true,
            UseInstead = "spec.fallbackSkillId",
        },
        Milliseconds(Key.FallbackEscalationTime, "Time without a bot reply before escalating to the fallback skill.",
            defaultValue: 180_000, maximum: 86_400_000),
        Text(Key.DefaultGreetingMessage, "Sent to the bot when the consumer connects.", messaging: true, chat: true, defaultValue: "hi"),
        Text(Key.DefaultStepupMessage, "Sent to the bot when step-up authentication happens.", messaging: true, chat: false, defaultValue: "_STEPUP_"),
        Milliseconds(Key.MessageDelay, "Consumer messages arriving within this window are joined with a space and sent to the bot as one.",
            defaultValue: 300, maximum: 60_000),
        Flag(Key.SkipAgentMessage, "A transferred conversation starts from the last consumer message, ignoring a last agent message.",
            defaultValue: false),
        Choice(Key.TileDisplay, "Layout of rich-content tiles.", ["vertical", "horizontal"], defaultValue: "vertical", messaging: true),
        new(Key.MessageResendMaxRetries, CustomConfigurationValueKind.Integer,
            "Resends to the bot when neither a reply nor a seen mark came back.", messaging: true, chat: false)
        {
            DefaultValue = "1",
            Unit = CustomConfigurationEntry.RetriesUnit,
            Minimum = 0,
            Maximum = 10,
        },
        Milliseconds(Key.RetryMessageInterval, "Wait before such a resend.", defaultValue: 30_000, maximum: 3_600_000),
        new(Key.MaxEscalationRetries, CustomConfigurationValueKind.Integer,
            "Cap on _agent_escalation_failed_ messages when escalation keeps failing.", messaging: true, chat: false)
        {
            DefaultValue = "5",
            Unit = CustomConfigurationEntry.RetriesUnit,
            Minimum = 0,
            Maximum = 100,
        },
        Milliseconds(Key.RingAcceptWait, "Wait before accepting a routing ring.", defaultValue: 100, maximum: 60_000),
        Choice(Key.AcceptStatusEventValue, "How a consumer's message is acknowledged.", ["READ", "SENT"], defaultValue: "READ", messaging: true),
        Flag(Key.EnableButtonTextOnPostback, "Show a button's label, not its callback value, as the consumer's choice.", defaultValue: false),
        new(Key.MaxConsumerMessageDelay, CustomConfigurationValueKind.Integer,
            "A consumer message arriving later than this after the previous one is ignored.", messaging: true, chat: false)
        {
            DefaultValue = "30",
            Unit = CustomConfigurationEntry.MinutesUnit,
            Minimum = 1,
            Maximum = 10_080,
        },
        Choice(Key.UseRedis, "Internal transport switch; connectors do not use it.", ["WEBSOCKET", "REDIS"], defaultValue: "WEBSOCKET", messaging: false),
        new(Key.ExternalWebhookUrl, CustomConfigurationValueKind.String,
            "HTTP connector: consumer messages go to this URL instead of a WebSocket bot channel.", messaging: true, chat: true)
        {
            IsFirstClass = true,
            UseInstead = "spec.externalWebhook.url",
        },
        new(Key.ExternalWebhookApiKey, CustomConfigurationValueKind.String,
            "Sent as Authorization: Bearer {key} to the external webhook.", messaging: true, chat: false)
        {
            IsSecret = true,
            UseInstead = $"a Secret referenced by spec.externalWebhook.apiKeySecretRef (key {AgentCredentialKeys.DefaultWebhookApiKey} unless set)",
        },
        Text(Key.ApigeeAuthUrl, "Apigee token URL (one brand's extra authentication).", messaging: true, chat: false, defaultValue: null),
        Text(Key.ApigeeGrantType, "Apigee grant type.", messaging: true, chat: false, defaultValue: null),
        Text(Key.ApigeeAudience, "Apigee audience.", messaging: true, chat: false, defaultValue: null),
        Text(Key.ApigeeClientId, "Apigee client id.", messaging: true, chat: false, defaultValue: null),
        new(Key.ApigeeClientSecret, CustomConfigurationValueKind.String, "Apigee client secret.", messaging: true, chat: false)
        {
            IsSecret = true,
            UseInstead = $"a Secret referenced by spec.externalWebhook.apigeeClientSecretRef (key {AgentCredentialKeys.DefaultApigeeClientSecret} unless set)",
        },
    ];

    private static CustomConfigurationEntry FirstClass(string key, string description, string useInstead, bool messaging, bool chat) =>
        new(key, CustomConfigurationValueKind.String, description, messaging, chat) { IsFirstClass = true, UseInstead = useInstead };

    private static CustomConfigurationEntry Secret(string key, string description, string useInstead) =>
        new(key, CustomConfigurationValueKind.String, description, messaging: true, chat: true) { IsSecret = true, UseInstead = useInstead };

    private static CustomConfigurationEntry Text(string key, string description, bool messaging, bool chat, string? defaultValue) =>
        new(key, CustomConfigurationValueKind.String, description, messaging, chat) { DefaultValue = defaultValue };

    private static CustomConfigurationEntry Milliseconds(string key, string description, long defaultValue, long maximum) =>
        new(key, CustomConfigurationValueKind.Integer, description, messaging: true, chat: false)
        {
            DefaultValue = defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Unit = CustomConfigurationEntry.MillisecondsUnit,
            Minimum = 0,
            Maximum = maximum,
        };

    private static CustomConfigurationEntry Flag(string key, string description, bool defaultValue) =>
        new(key, CustomConfigurationValueKind.Boolean, description, messaging: true, chat: false)
        {
            DefaultValue = defaultValue ? "true" : "false",
        };

    private static CustomConfigurationEntry Choice(string key, string description, string[] values, string defaultValue, bool messaging) =>
        new(key, CustomConfigurationValueKind.Enum, description, messaging, chat: false)
        {
            AllowedValues = values,
            DefaultValue = defaultValue,
        };
}
