using System.Text.Json;
using System.Text.Json.Serialization;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Kubernetes.Models;
using k8s.Models;

namespace ConnectorOperator.Api;

/// <summary>
/// connectoroperator.dev/v1alpha1 AgentConnector: one bot, its bot agent users, and how its connectors run.
/// Replaces the Agent Connectors page (Add / Start / Stop / Details) with a declarative resource.
/// </summary>
public sealed class AgentConnector : CustomResource<AgentConnectorSpec, AgentConnectorStatus>
{
    public const string Group = "connectoroperator.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "AgentConnector";
    public const string Plural = "agentconnectors";

    public static readonly ResourceType Resource = new(Group, Version, KindName, Plural);

    public AgentConnector()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = KindName;
    }

    /// <summary>Makes this resource the controller of an object it creates: garbage collection and owner watches follow it.</summary>
    public V1OwnerReference ControllerReference() => new()
    {
        ApiVersion = Resource.ApiVersion,
        Kind = KindName,
        Name = Metadata.Name ?? "",
        Uid = Metadata.Uid ?? "",
        Controller = true,
        BlockOwnerDeletion = true,
    };
}

[Description("Demo or Production; Production requires failover (at least 2 connectors).")]
public enum DeploymentEnvironment
{
    Demo,
    Production,
}

[Description("The bot, its agent users and how its connectors run.")]
[CelRule(AgentConnectorRules.ProductionAgentUsersRule, AgentConnectorRules.ProductionAgentUsersMessage, FieldPath = ".agentUsers")]
[CelRule(AgentConnectorRules.ProductionMinReplicasRule, AgentConnectorRules.ProductionMinReplicasMessage, FieldPath = ".scaling.minReplicas")]
[CelRule(AgentConnectorRules.WebhookHttpsInProductionRule, AgentConnectorRules.WebhookHttpsInProductionMessage, FieldPath = ".externalWebhook.url")]
public sealed class AgentConnectorSpec
{
    [Required]
    [Description("The bot the connectors relay conversations to.")]
    public BotReference Bot { get; set; } = new();

    /// <summary>The Conversational Cloud account (site) number.</summary>
    [Required]
    [Pattern(AgentConnectorRules.DigitsPattern)]
    [Size(Maximum = AgentConnectorRules.MaxIdLength)]
    [Description("The Conversational Cloud account (site) number, digits only.")]
    public string AccountId { get; set; } = "";

    /// <summary>Required; null only when the object was written without it (the operator then reports it).</summary>
    [Required]
    [Description("Messaging (asynchronous conversations) or Chat (live chat sessions).")]
    public ConversationType? ConversationType { get; set; }

    [Default(nameof(AgentRole.Agent))]
    [Description("The bot agent users' role: Agent (assigned agent) or Manager.")]
    public AgentRole Role { get; set; } = AgentRole.Agent;

    [Default(nameof(DeploymentEnvironment.Demo))]
    public DeploymentEnvironment Environment { get; set; } = DeploymentEnvironment.Demo;

    /// <summary>One bot agent user per connector pod: an agent user holds one live session at a time.</summary>
    [Required]
    [Size(Minimum = 1, Maximum = AgentConnectorRules.MaxAgentUsers)]
    [ListMapKey("loginName")]
    [Description("The bot agent users, unique by loginName. Each connector logs in as one of them, so their number caps the connectors (the operator reports the cap as a condition).")]
    public List<AgentUser> AgentUsers { get; set; } = [];

    /// <summary>The Start/Stop toggle.</summary>
    [Default(true)]
    [Description("Start (true) or stop (false) the connectors; stopped connectors hand their conversations back first.")]
    public bool Running { get; set; } = true;

    [Pattern(AgentConnectorRules.DigitsPattern)]
    [Size(Maximum = AgentConnectorRules.MaxIdLength)]
    [Description("Skill to escalate to when the bot does not answer in time, digits.")]
    public string? FallbackSkillId { get; set; }

    [Default(true)]
    [Description("Fields sent to the channel carry a tooltip attribute for screen readers.")]
    public bool Accessibility { get; set; } = true;

    [Description("HTTP connector mode: consumer messages go to this URL with a bearer key instead of the bot endpoint.")]
    public ExternalWebhook? ExternalWebhook { get; set; }

    /// <summary>Custom configuration fields (messageDelay, ringAcceptWait, ...), checked against the catalogue.</summary>
    [Size(Maximum = AgentConnectorRules.MaxCustomConfigurationEntries)]
    [MapValues(AgentConnectorRules.TextPattern, MaxLength = AgentConnectorRules.MaxTextLength)]
    [ReservedCustomConfigurationKeys]
    [Description("Custom configuration fields of the connector (messageDelay, ringAcceptWait, tileDisplay, ...), as strings. Credentials and settings with their own spec field are refused; the operator checks the rest against its catalogue.")]
    public Dictionary<string, string>? CustomConfiguration { get; set; }

    /// <summary>When set, the exact number of connectors (the scale subresource's spec path).</summary>
    [Range(Minimum = 0)]
    [Description("The exact number of connectors; when unset the operator sizes them from scaling. Also set through the scale subresource (kubectl scale, HPA).")]
    public int? Replicas { get; set; }

    [Description("Load-based sizing of the connectors, used when replicas is unset.")]
    public ScalingSpec? Scaling { get; set; }

    /// <summary>Connector image; the operator's default when empty.</summary>
    [Pattern(AgentConnectorRules.OptionalIdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxImageLength)]
    [Description("Connector image; the operator's default when empty.")]
    public string? Image { get; set; }

    [Description("The parts of the connector pods a platform team may shape.")]
    public ConnectorPodTemplate? PodTemplate { get; set; }

    /// <summary>Connectors run only when the whole resource runs and at least one agent user is not stopped.</summary>
    public bool AnyConnectorRunning() => Running && AgentUsers?.Any(u => u?.Running == true) == true;
}

public sealed class BotReference
{
    [Required]
    [Pattern(AgentConnectorRules.IdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxLoginNameLength)]
    [Description("The bot's id: non-empty, no whitespace, control or format characters.")]
    public string Id { get; set; } = "";

    /// <summary>The bot's message endpoint; defaults to the operator's template with {botId} filled in.</summary>
    [Pattern(AgentConnectorRules.HttpUrlPattern)]
    [Size(Maximum = AgentConnectorRules.MaxUrlLength)]
    [Description("The bot's message endpoint (http:// or https://); defaults to the operator's endpoint template with {botId} filled in.")]
    public string? Endpoint { get; set; }
}

[Description("A bot agent user a connector logs in as.")]
public sealed class AgentUser
{
    [Required]
    [Pattern(AgentConnectorRules.IdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxLoginNameLength)]
    [Description("The agent user's login name: non-empty, no whitespace, control or format characters. An agent user can belong to only one bot.")]
    public string LoginName { get; set; } = "";

    /// <summary>Secret with appKey, appSecret, accessToken, accessTokenSecret (API-key login) or password.</summary>
    [Required]
    [Description("Secret in this namespace with appKey, appSecret, accessToken and accessTokenSecret (API-key login, preferred) or password.")]
    public SecretReference CredentialsSecretRef { get; set; } = new();

    /// <summary>The page's Start/Stop toggle of one connector; spec.running still stops them all.</summary>
    [Default(true)]
    [Description("Start (true) or stop (false) this agent user's connector alone; a stopped connector hands its conversations back first and the others keep running. spec.running stops them all.")]
    public bool Running { get; set; } = true;
}

public sealed class SecretReference
{
    [Required]
    [Pattern(AgentConnectorRules.SecretNamePattern)]
    [Size(Maximum = AgentConnectorRules.MaxSecretNameLength)]
    [Description("Name of a Secret in the resource's namespace.")]
    public string Name { get; set; } = "";
}

public sealed class SecretKeyReference
{
    [Required]
    [Pattern(AgentConnectorRules.SecretNamePattern)]
    [Size(Maximum = AgentConnectorRules.MaxSecretNameLength)]
    [Description("Name of a Secret in the resource's namespace.")]
    public string Name { get; set; } = "";

    [Pattern(AgentConnectorRules.SecretKeyPattern)]
    [Size(Maximum = AgentConnectorRules.MaxSecretKeyLength)]
    [Description("Key within the Secret.")]
    public string? Key { get; set; }
}

/// <summary>HTTP connector mode: consumer messages go to this URL with a bearer key instead of the bot endpoint.</summary>
public sealed class ExternalWebhook
{
    [Required]
    [Pattern(AgentConnectorRules.IdentifierPattern)]
    [Size(Maximum = AgentConnectorRules.MaxUrlLength)]
    [CelRule(AgentConnectorRules.WebhookSchemeRule, AgentConnectorRules.WebhookSchemeMessage)]
    [Description("Where consumer messages are posted: https:// in Production, http:// or https:// otherwise.")]
    public string Url { get; set; } = "";

    /// <summary>Secret key holding the bearer key; key defaults to "apiKey".</summary>
    [Description("Secret key holding the bearer key sent as Authorization: Bearer; key defaults to apiKey.")]
    public SecretKeyReference? ApiKeySecretRef { get; set; }

    /// <summary>The apigee_client_secret; the other apigee_* fields are custom configuration.</summary>
    [Description("Secret key holding the Apigee client secret (apigee_client_secret) with which the connector gets the OAuth 2.0 token it sends as the webhook's bearer; key defaults to clientSecret. Needs customConfiguration apigee_auth_url and apigee_client_id.")]
    public SecretKeyReference? ApigeeClientSecretRef { get; set; }
}

[CelRule(AgentConnectorRules.MaxReplicasRule, AgentConnectorRules.MaxReplicasMessage, FieldPath = ".maxReplicas")]
public sealed class ScalingSpec
{
    [Range(Minimum = 0)]
    [Description("Fewest connectors; at least 2 in Production.")]
    public int? MinReplicas { get; set; }

    [Range(Minimum = 1)]
    [Description("Most connectors; at least minReplicas.")]
    public int? MaxReplicas { get; set; }

    /// <summary>50 by default, the documents' baseline; up to the connector's own limit, with a Warning above the baseline.</summary>
    [Range(1, AgentConnectorRules.MaxConversationsPerConnector)]
    [Default((long)AgentConnectorRules.BaselineConversationsPerConnector)]
    [Description("Conversations one connector takes at once. The default, 50, is the documented baseline; up to 1000 is accepted, with a Warning condition above 50.")]
    public int ConversationsPerConnector { get; set; } = AgentConnectorRules.BaselineConversationsPerConnector;

    /// <summary>Planned load; the larger of this and the observed load decides the connector count.</summary>
    [Range(Minimum = 0)]
    [Description("Planned concurrent conversations; the larger of this and the observed load decides the connector count.")]
    public int? ExpectedConcurrentConversations { get; set; }

    [Range(Minimum = 0)]
    [Default(300L)]
    [Description("Seconds the load must allow fewer connectors before any is removed.")]
    public int ScaleDownStabilizationSeconds { get; set; } = 300;

    /// <summary>Filters out a single inconsistent look at the connectors (one polled before a conversation moved,
    /// another after) so it does not start a connector that is removed again only after the scale-down window.</summary>
    [Range(Minimum = 0)]
    [Default(3L)]
    [Description("Seconds the observed load must ask for more connectors before any is added (the lowest count asked for during that time is used). Planned load (expectedConcurrentConversations) acts at once.")]
    public int ScaleUpStabilizationSeconds { get; set; } = 3;
}

/// <summary>The parts of the connector pods a platform team may shape.</summary>
public sealed class ConnectorPodTemplate
{
    [Description("Compute resources of the connector container. Quantities are strings: cpu: \"500m\", memory: \"256Mi\".")]
    public ConnectorResources? Resources { get; set; }

    [MapValues(AgentConnectorRules.LabelValuePattern, MaxLength = AgentConnectorRules.MaxLabelValueLength)]
    [Description("Node labels the connector pods must run on.")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [Description("Tolerations of the connector pods (core/v1 Toleration).")]
    public List<ConnectorToleration>? Tolerations { get; set; }

    [PreserveUnknownFields]
    [Description("Affinity of the connector pods (core/v1 Affinity), passed through as written.")]
    public JsonElement? Affinity { get; set; }

    [PreserveUnknownFields]
    [Description("Topology spread constraints of the connector pods (core/v1 TopologySpreadConstraint), passed through as written.")]
    public List<JsonElement>? TopologySpreadConstraints { get; set; }

    [Pattern(AgentConnectorRules.DnsSubdomainPattern)]
    [Size(Maximum = AgentConnectorRules.MaxSecretNameLength)]
    [Description("PriorityClass of the connector pods.")]
    public string? PriorityClassName { get; set; }

    [MapValues(AgentConnectorRules.LabelValuePattern, MaxLength = AgentConnectorRules.MaxLabelValueLength)]
    [Description("Extra labels on the connector pods; the operator's own labels win.")]
    public Dictionary<string, string>? Labels { get; set; }

    [MapValues(AgentConnectorRules.TextPattern, MaxLength = AgentConnectorRules.MaxTextLength)]
    [Description("Extra annotations on the connector pods.")]
    public Dictionary<string, string>? Annotations { get; set; }
}

[Description("Online (connected end to end), Offline (some component is down; see connectors) or Stopped (running is false).")]
public enum ConnectorState
{
    Online,
    Offline,
    Stopped,
}

[Description("What the operator observed.")]
public sealed class AgentConnectorStatus
{
    [Description("The spec generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    public ConnectorState? State { get; set; }

    [ListMapKey("type")]
    [Description("Ready, Reconciling, Stalled and the operator's other conditions, keyed by type.")]
    public List<Condition>? Conditions { get; set; }

    [Description("Connector pods that exist.")]
    public int Replicas { get; set; }

    [Description("Connector pods that are ready (logged in, connected, bot answering).")]
    public int ReadyReplicas { get; set; }

    [Description("Connector pods at the current revision.")]
    public int UpdatedReplicas { get; set; }

    [Description("Connector pods the operator wants: from replicas, or from scaling and the load, capped by the agent users.")]
    public int DesiredReplicas { get; set; }

    /// <summary>Label selector of the connector pods as a string, for the scale subresource (and so an HPA).</summary>
    [Description("Label selector of the connector pods, for the scale subresource.")]
    public string? Selector { get; set; }

    [Description("Conversations the connectors are handling now.")]
    public int ActiveConversations { get; set; }

    [Description("Conversations Conversational Cloud is offering the connectors that they cannot take (all at capacity); they count toward the load that sizes the connector set.")]
    public int WaitingConversations { get; set; }

    /// <summary>Conversations the ready connectors can take at once.</summary>
    [Description("Conversations the ready connectors can take at once.")]
    public int Capacity { get; set; }

    /// <summary>The current configuration revision.</summary>
    [Description("The current configuration revision; connectors at another revision are replaced one at a time.")]
    public string? Revision { get; set; }

    /// <summary>The next pod serial: persisted before a pod is created so a retry reuses the name.</summary>
    [Description("The next connector pod's serial number (pods are named <name>-<serial>).")]
    public int NextSerial { get; set; }

    /// <summary>When the load last allowed fewer connectors; scale-down waits out the stabilization window from here.</summary>
    [Description("Since when the load has allowed fewer connectors; scale-down waits out scaleDownStabilizationSeconds from here.")]
    public DateTimeOffset? ScaleDownCandidateSince { get; set; }

    [Description("A scale-up the observed load asks for, waiting out scaleUpStabilizationSeconds: since when, and the fewest connectors asked for since then.")]
    public ScaleUpCandidate? ScaleUpCandidate { get; set; }

    [ListMapKey("pod")]
    [Description("One entry per connector pod, as the Agent Connectors page's Details view shows it.")]
    public List<ConnectorInstanceStatus>? Connectors { get; set; }

    [ListMapKey("loginName")]
    [Description("One entry per agent user in spec.agentUsers, as the rows of the Agent Connectors page: whether it is meant to run, its state and its pod.")]
    public List<AgentUserStatus>? AgentUsers { get; set; }
}

/// <summary>One agent user's connector, the way a row of the Agent Connectors page shows it (with its Start/Stop toggle).</summary>
public sealed class AgentUserStatus
{
    public string LoginName { get; set; } = "";

    [Description("spec.agentUsers[].running (and spec.running): whether this connector is meant to run.")]
    public bool Running { get; set; }

    /// <summary>
    /// The pod's state (Online, Connecting, Offline, Pending, Terminating) when it has one; otherwise Stopped,
    /// Stopping, Standby (not needed at the current load) or Offline (it cannot log in; see reason).
    /// </summary>
    [Description("Online, Connecting, Offline, Pending, Terminating (from its pod), Stopped, Stopping, or Standby (runnable, not needed at the current load).")]
    public string State { get; set; } = "";

    [Description("The connector pod serving this agent user, if any.")]
    public string? Pod { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}

[Description("A pending scale-up driven by the observed load.")]
public sealed class ScaleUpCandidate
{
    [Description("When the observed load first asked for more connectors than run.")]
    public DateTimeOffset Since { get; set; }

    [Description("The fewest connectors the observed load has asked for since then.")]
    public int Replicas { get; set; }
}

/// <summary>One connector pod, the way the Agent Connectors page's Details view shows it.</summary>
public sealed class ConnectorInstanceStatus
{
    public string Pod { get; set; } = "";

    public string AgentUser { get; set; } = "";

    public string? Revision { get; set; }

    public bool Connected { get; set; }

    public int ActiveConversations { get; set; }

    /// <summary>Conversations offered to this connector while it is full.</summary>
    public int WaitingConversations { get; set; }

    public int Restarts { get; set; }

    /// <summary>Connecting, Online, Offline, Draining, Pending, Terminating.</summary>
    public string? State { get; set; }

    /// <summary>Why it is not online: Unauthorized, ConnectionFailed, CrashLoopBackOff, ...</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public ComponentStatuses? Components { get; set; }
}

public sealed class ComponentStatuses
{
    public ComponentStatus? ConversationalCloud { get; set; }

    public ComponentStatus? Authentication { get; set; }

    public ComponentStatus? Bot { get; set; }
}

public sealed class ComponentStatus
{
    /// <summary>Connected, NotConnected or Unknown.</summary>
    public string Status { get; set; } = "Unknown";

    public string? Message { get; set; }

    public DateTimeOffset? Since { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(TimeConverter)])]
[JsonSerializable(typeof(AgentConnector))]
[JsonSerializable(typeof(AgentConnectorStatus))]
[JsonSerializable(typeof(ConnectorPodTemplate))]
public sealed partial class AgentConnectorJsonContext : JsonSerializerContext;
