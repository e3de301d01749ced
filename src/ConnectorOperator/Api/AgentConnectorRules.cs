using ConnectorOperator.Contracts;

namespace ConnectorOperator.Api;

/// <summary>
/// The limits, patterns and cross-field rules of an AgentConnector spec, shared by the CRD's schema attributes and
/// <see cref="Validation.SpecValidator"/> so the two cannot drift apart. Rules use standard CEL only.
/// </summary>
public static class AgentConnectorRules
{
    public const string DigitsPattern = "^[0-9]+$";

    /// <summary>
    /// Identifiers (bot id, login names, URLs, image): no whitespace, control or format characters, so a NUL, a
    /// zero-width space or a bidi override cannot hide in a name. RE2 (the API server) and .NET read <c>\p{..}</c> alike.
    /// </summary>
    public const string IdentifierPattern = @"^[^\p{Cc}\p{Cf}\p{Z}]+$";

    /// <summary>As <see cref="IdentifierPattern"/>, for optional values where empty means "the default".</summary>
    public const string OptionalIdentifierPattern = @"^[^\p{Cc}\p{Cf}\p{Z}]*$";

    public const string HttpUrlPattern = @"^https?://[^\p{Cc}\p{Cf}\p{Z}]+$";

    /// <summary>Free text (custom configuration values, annotations): any unicode, but no control character other than tab and newline.</summary>
    public const string TextPattern = @"^[\t\n\P{Cc}]*$";

    /// <summary>A Kubernetes label value (nodeSelector and pod labels): at most 63 characters.</summary>
    public const string LabelValuePattern = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /// <summary>A resource quantity (100m, 128Mi, 1.5, 2e3), apimachinery's own pattern for it.</summary>
    public const string QuantityPattern = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>A DNS subdomain, which is what a Secret's (and a PriorityClass's) name must be.</summary>
    public const string DnsSubdomainPattern = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

    public const string SecretNamePattern = DnsSubdomainPattern;

    public const string SecretKeyPattern = "^[-._a-zA-Z0-9]+$";

    public const int MaxSecretNameLength = 253;

    public const int MaxSecretKeyLength = 253;

    public const int MaxIdLength = 64;

    public const int MaxLoginNameLength = 256;

    public const int MaxUrlLength = 2048;

    public const int MaxImageLength = 512;

    public const int MaxLabelValueLength = 63;

    /// <summary>A qualified name (a toleration's key): a 253-character DNS prefix, '/', a 63-character name.</summary>
    public const int MaxQualifiedNameLength = 317;

    /// <summary>Keys and values of the free-text maps; an annotation's whole budget is 256 KiB, one value needs far less.</summary>
    public const int MaxTextLength = 4096;

    public const int MaxAgentUsers = 100;

    public const int MaxCustomConfigurationEntries = 64;

    /// <summary>
    /// The documents' baseline of concurrent conversations per connector ("no more than 50", 4 connectors for 200):
    /// the default, and the point above which the operator warns.
    /// </summary>
    public const int BaselineConversationsPerConnector = ConnectorEnvironment.MaxCapacity;

    /// <summary>The most one connector takes (its own capacity limit); the baseline is a guideline, this is a limit.</summary>
    public const int MaxConversationsPerConnector = ConnectorEnvironment.ConnectorHardCapacityLimit;

    /// <summary>Two connectors per bot in Production, so one can fail over to the other.</summary>
    public const int MinProductionConnectors = 2;

    public const string ProductionAgentUsersRule = "self.environment != 'Production' || size(self.agentUsers) >= 2";

    public const string ProductionAgentUsersMessage =
        "Production needs at least 2 agent users: each connector logs in as its own agent user, and Production runs at least 2 connectors for failover";

    public const string ProductionMinReplicasRule =
        "self.environment != 'Production' || !has(self.scaling) || !has(self.scaling.minReplicas) || self.scaling.minReplicas >= 2";

    public const string ProductionMinReplicasMessage = "Production needs scaling.minReplicas of at least 2, for failover";

    public const string MaxReplicasRule = "!has(self.minReplicas) || !has(self.maxReplicas) || self.maxReplicas >= self.minReplicas";

    public const string MaxReplicasMessage = "scaling.maxReplicas must be greater than or equal to scaling.minReplicas";

    public const string WebhookHttpsInProductionRule =
        "self.environment != 'Production' || !has(self.externalWebhook) || self.externalWebhook.url.startsWith('https://')";

    public const string WebhookHttpsInProductionMessage = "externalWebhook.url must start with https:// in Production";

    public const string WebhookSchemeRule = "self.startsWith('https://') || self.startsWith('http://')";

    public const string WebhookSchemeMessage = "externalWebhook.url must start with http:// or https://";

    public const string LoginNameMessage = "must be non-empty and contain no whitespace, control or format characters";

    public static string AboveBaselineMessage(int conversationsPerConnector) =>
        $"{conversationsPerConnector.ToString(System.Globalization.CultureInfo.InvariantCulture)} is above the documented baseline of {BaselineConversationsPerConnector} concurrent conversations per connector. "
        + $"It is a guideline, not a limit: fewer connectors each carry more, so a failed connector drops more conversations and a slow bot answers more of them late. "
        + $"Keep it only if load tests showed the bot keeps up; otherwise run more connectors (for example 4 connectors of {BaselineConversationsPerConnector} for 200)";

    /// <summary>Why a reserved catalogue key (credential or first-class setting) is refused in customConfiguration.</summary>
    public static string ReservedKeyMessage(CustomConfigurationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.IsSecret)
        {
            return entry.UseInstead is null
                ? $"{entry.Key} is a credential and is never accepted in the resource; the operator has no Secret-backed field for it"
                : $"{entry.Key} is a credential and is never accepted in the resource: put it in {entry.UseInstead}";
        }
        return $"{entry.Key} is set through {entry.UseInstead}, not customConfiguration";
    }
}
