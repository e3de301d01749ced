using ConnectorOperator.Api;
using static ConnectorOperator.Tests.Validation.Fuzz.FieldKind;

namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>The spec's fields as the documentation (user guide, custom-configuration.md) and the CRD describe them.</summary>
internal static class FuzzFields
{
    private const string Any = SpecPath.AnyItem;
    private const long Int32Max = int.MaxValue;
    private const long SafeInteger = 9_007_199_254_740_991;

    public static readonly FuzzField[] All =
    [
        new(["bot"], Nested, Required: true),
        new(["bot", "id"], Identifier, Required: true, Max: AgentConnectorRules.MaxLoginNameLength, Sample: "support-bot"),
        new(["bot", "endpoint"], HttpUrl, Max: AgentConnectorRules.MaxUrlLength, Sample: "https://bots.example.com/messages"),
        new(["accountId"], Digits, Required: true, Max: AgentConnectorRules.MaxIdLength, Sample: "12345678"),
        new(["conversationType"], Choice, Required: true, Values: ["Messaging", "Chat"]),
        new(["role"], Choice, Values: ["Agent", "Manager"]),
        new(["environment"], Choice, Values: ["Demo", "Production"]),
        new(["agentUsers"], List, Required: true, Min: 1, Max: AgentConnectorRules.MaxAgentUsers),
        new(["agentUsers", Any], Nested),
        new(["agentUsers", Any, "loginName"], Identifier, Required: true, Max: AgentConnectorRules.MaxLoginNameLength, Sample: "bot-agent"),
        new(["agentUsers", Any, "credentialsSecretRef"], Nested, Required: true),
        new(["agentUsers", Any, "credentialsSecretRef", "name"], DnsName, Required: true, Max: AgentConnectorRules.MaxSecretNameLength, Sample: "bot-agent-credentials"),
        new(["agentUsers", Any, "running"], Flag),
        new(["running"], Flag),
        new(["accessibility"], Flag),
        new(["fallbackSkillId"], Digits, Max: AgentConnectorRules.MaxIdLength, Sample: "4321"),
        new(["externalWebhook"], Nested),
        new(["externalWebhook", "url"], WebhookUrl, Required: true, Max: AgentConnectorRules.MaxUrlLength, Sample: "https://hooks.example.com/bot"),
        new(["externalWebhook", "apiKeySecretRef"], Nested),
        new(["externalWebhook", "apiKeySecretRef", "name"], DnsName, Required: true, Max: AgentConnectorRules.MaxSecretNameLength, Sample: "hook-key"),
        new(["externalWebhook", "apiKeySecretRef", "key"], SecretKey, Max: AgentConnectorRules.MaxSecretKeyLength, Sample: "apiKey"),
        new(["customConfiguration"], Map, Max: AgentConnectorRules.MaxCustomConfigurationEntries),
        new(["replicas"], Integer, Min: 0, Max: Int32Max),
        new(["scaling"], Nested),
        new(["scaling", "minReplicas"], Integer, Min: 0, Max: Int32Max),
        new(["scaling", "maxReplicas"], Integer, Min: 1, Max: Int32Max),
        new(["scaling", "conversationsPerConnector"], Integer, Min: 1, Max: AgentConnectorRules.MaxConversationsPerConnector),
        new(["scaling", "expectedConcurrentConversations"], Integer, Min: 0, Max: Int32Max),
        new(["scaling", "scaleDownStabilizationSeconds"], Integer, Min: 0, Max: Int32Max),
        new(["scaling", "scaleUpStabilizationSeconds"], Integer, Min: 0, Max: Int32Max),
        new(["image"], OptionalIdentifier, Max: AgentConnectorRules.MaxImageLength, Sample: "registry.example.com/connector:1.2"),
        new(["podTemplate"], Nested),
        new(["podTemplate", "labels"], Map),
        new(["podTemplate", "nodeSelector"], Map),
        new(["podTemplate", "annotations"], Map),
        new(["podTemplate", "priorityClassName"], DnsName, Max: AgentConnectorRules.MaxSecretNameLength, Sample: "high"),
        new(["podTemplate", "resources"], Nested),
        new(["podTemplate", "resources", "requests"], Map),
        new(["podTemplate", "resources", "limits"], Map),
        new(["podTemplate", "tolerations"], List),
        new(["podTemplate", "tolerations", Any], Nested),
        new(["podTemplate", "tolerations", Any, "key"], OptionalIdentifier, Max: AgentConnectorRules.MaxQualifiedNameLength, Sample: "dedicated"),
        new(["podTemplate", "tolerations", Any, "operator"], OptionalIdentifier, Max: AgentConnectorRules.MaxQualifiedNameLength, Sample: "Equal"),
        new(["podTemplate", "tolerations", Any, "value"], OptionalIdentifier, Max: AgentConnectorRules.MaxQualifiedNameLength, Sample: "bots"),
        new(["podTemplate", "tolerations", Any, "tolerationSeconds"], Integer, Min: -SafeInteger, Max: SafeInteger),
    ];

    /// <summary>The identifier fields the control-character property covers.</summary>
    public static IEnumerable<FuzzField> Identifiers => All.Where(f => f.Kind is Identifier or OptionalIdentifier or HttpUrl or WebhookUrl or Digits or DnsName or SecretKey);

    /// <summary>What a map's values must be, and how long they may be.</summary>
    public static (FieldKind Kind, long Max) MapValues(string map) => map switch
    {
        "spec.customConfiguration" or "spec.podTemplate.annotations" => (Text, AgentConnectorRules.MaxTextLength),
        "spec.podTemplate.labels" or "spec.podTemplate.nodeSelector" => (LabelValue, AgentConnectorRules.MaxLabelValueLength),
        _ => (Quantity, AgentConnectorRules.MaxIdLength),
    };
}
