using System.Text.Json;
using System.Text.Json.Serialization;
using ConnectorOperator.Kubernetes.Models;

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
        ApiVersion = $"{Group}/{Version}";
        Kind = KindName;
    }
}

public enum ConversationType
{
    Messaging,
    Chat,
}

public enum AgentRole
{
    Agent,
    Manager,
}

public enum DeploymentEnvironment
{
    Demo,
    Production,
}

public sealed class AgentConnectorSpec
{
    public BotReference Bot { get; set; } = new();

    /// <summary>The Conversational Cloud account (site) number.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>Required; null only when the object was written without it (the operator then reports it).</summary>
    public ConversationType? ConversationType { get; set; }

    public AgentRole Role { get; set; } = AgentRole.Agent;

    public DeploymentEnvironment Environment { get; set; } = DeploymentEnvironment.Demo;

    /// <summary>One bot agent user per connector pod: an agent user holds one live session at a time.</summary>
    public List<AgentUser> AgentUsers { get; set; } = [];

    /// <summary>The Start/Stop toggle.</summary>
    public bool Running { get; set; } = true;

    public string? FallbackSkillId { get; set; }

    public bool Accessibility { get; set; } = true;

    public ExternalWebhook? ExternalWebhook { get; set; }

    /// <summary>Custom configuration fields (messageDelay, ringAcceptWait, ...), checked against the catalogue.</summary>
    public Dictionary<string, string>? CustomConfiguration { get; set; }

    /// <summary>When set, the exact number of connectors (the scale subresource's spec path).</summary>
    public int? Replicas { get; set; }

    public ScalingSpec? Scaling { get; set; }

    /// <summary>Connector image; the operator's default when empty.</summary>
    public string? Image { get; set; }

    public ConnectorPodTemplate? PodTemplate { get; set; }
}

public sealed class BotReference
{
    public string Id { get; set; } = "";

    /// <summary>The bot's message endpoint; defaults to the operator's template with {botId} filled in.</summary>
    public string? Endpoint { get; set; }
}

public sealed class AgentUser
{
    public string LoginName { get; set; } = "";

    /// <summary>Secret with appKey, appSecret, accessToken, accessTokenSecret (API-key login) or password.</summary>
    public SecretReference CredentialsSecretRef { get; set; } = new();
}

public sealed class SecretReference
{
    public string Name { get; set; } = "";
}

public sealed class SecretKeyReference
{
    public string Name { get; set; } = "";

    public string? Key { get; set; }
}

/// <summary>HTTP connector mode: consumer messages go to this URL with a bearer key instead of the bot endpoint.</summary>
public sealed class ExternalWebhook
{
    public string Url { get; set; } = "";

    /// <summary>Secret key holding the bearer key; key defaults to "apiKey".</summary>
    public SecretKeyReference? ApiKeySecretRef { get; set; }
}

public sealed class ScalingSpec
{
    public int? MinReplicas { get; set; }

    public int? MaxReplicas { get; set; }

    /// <summary>At most 50: the documented limit of concurrent conversations per connector.</summary>
    public int ConversationsPerConnector { get; set; } = 50;

    /// <summary>Planned load; the larger of this and the observed load decides the connector count.</summary>
    public int? ExpectedConcurrentConversations { get; set; }

    public int ScaleDownStabilizationSeconds { get; set; } = 300;
}

/// <summary>The parts of the connector pods a platform team may shape.</summary>
public sealed class ConnectorPodTemplate
{
    public ResourceRequirements? Resources { get; set; }

    public Dictionary<string, string>? NodeSelector { get; set; }

    public List<Toleration>? Tolerations { get; set; }

    public JsonElement? Affinity { get; set; }

    public List<JsonElement>? TopologySpreadConstraints { get; set; }

    public string? PriorityClassName { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}

public enum ConnectorState
{
    Online,
    Offline,
    Stopped,
}

public sealed class AgentConnectorStatus
{
    public long? ObservedGeneration { get; set; }

    public ConnectorState? State { get; set; }

    public List<Condition>? Conditions { get; set; }

    public int Replicas { get; set; }

    public int ReadyReplicas { get; set; }

    public int UpdatedReplicas { get; set; }

    public int DesiredReplicas { get; set; }

    /// <summary>Label selector of the connector pods as a string, for the scale subresource (and so an HPA).</summary>
    public string? Selector { get; set; }

    public int ActiveConversations { get; set; }

    /// <summary>Conversations the ready connectors can take at once.</summary>
    public int Capacity { get; set; }

    /// <summary>The current configuration revision.</summary>
    public string? Revision { get; set; }

    /// <summary>The next pod serial: persisted before a pod is created so a retry reuses the name.</summary>
    public int NextSerial { get; set; }

    /// <summary>When the load last allowed fewer connectors; scale-down waits out the stabilization window from here.</summary>
    public DateTimeOffset? ScaleDownCandidateSince { get; set; }

    public List<ConnectorInstanceStatus>? Connectors { get; set; }
}

/// <summary>One connector pod, the way the Agent Connectors page's Details view shows it.</summary>
public sealed class ConnectorInstanceStatus
{
    public string Pod { get; set; } = "";

    public string AgentUser { get; set; } = "";

    public string? Revision { get; set; }

    public bool Connected { get; set; }

    public int ActiveConversations { get; set; }

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
    Converters = [typeof(ConnectorOperator.Kubernetes.Serialization.TimeConverter)])]
[JsonSerializable(typeof(AgentConnector))]
[JsonSerializable(typeof(KubernetesList<AgentConnector>))]
[JsonSerializable(typeof(AgentConnectorStatus))]
[JsonSerializable(typeof(ConnectorPodTemplate))]
public sealed partial class AgentConnectorJsonContext : JsonSerializerContext;
