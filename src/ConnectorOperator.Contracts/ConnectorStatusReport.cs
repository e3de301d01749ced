using System.Text.Json.Serialization;

namespace ConnectorOperator.Contracts;

/// <summary>
/// A connector's GET /status answer (docs/connector-contract.md): the connector writes it, the operator reads it,
/// both through <see cref="ConnectorStatusJsonContext"/>.
/// </summary>
public sealed class ConnectorStatusReport
{
    public ConnectorReportState State { get; set; } = ConnectorReportState.Starting;

    /// <summary>One of <see cref="ConnectorReasons"/>.</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? AgentUser { get; set; }

    public string? Revision { get; set; }

    public int ActiveConversations { get; set; }

    public int Capacity { get; set; }

    /// <summary>Conversations the service offers this connector now that it cannot take: it is at capacity.</summary>
    public int WaitingConversations { get; set; }

    /// <summary>Offers that arrived while the connector was full, since it started: above 0, the service routes
    /// past the connector's capacity, so a zero <see cref="WaitingConversations"/> really means no demand is waiting.</summary>
    public long OfferedAtCapacity { get; set; }

    public bool Draining { get; set; }

    public ConnectorComponents? Components { get; set; }

    /// <summary>The last failure, also one that did not change the state; null until something fails.</summary>
    public ConnectorError? LastError { get; set; }
}

/// <summary>The Details view: one entry per component of the end-to-end connection.</summary>
public sealed class ConnectorComponents
{
    /// <summary>The messaging socket or the Chat agent session.</summary>
    public ComponentReport? ConversationalCloud { get; set; }

    /// <summary>The login.</summary>
    public ComponentReport? Authentication { get; set; }

    /// <summary>The bot (or external webhook): its health probe and its last call.</summary>
    public ComponentReport? Bot { get; set; }
}

public sealed class ComponentReport
{
    public ComponentState Status { get; set; } = ComponentState.Unknown;

    public string? Message { get; set; }

    [JsonConverter(typeof(UtcSecondsConverter))]
    public DateTimeOffset? Since { get; set; }
}

public sealed class ConnectorError
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    [JsonConverter(typeof(UtcSecondsConverter))]
    public DateTimeOffset? At { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ConnectorReportState>))]
public enum ConnectorReportState
{
    /// <summary>Until the first connection attempt fails or succeeds, and until the bot first answered.</summary>
    Starting,

    /// <summary>Connected end to end: logged in, session up, the bot answering.</summary>
    Online,

    /// <summary>Some component is down; the reason says which.</summary>
    Offline,

    /// <summary>Handing conversations back before exit.</summary>
    Draining,
}

[JsonConverter(typeof(JsonStringEnumConverter<ComponentState>))]
public enum ComponentState
{
    /// <summary>Not checked yet.</summary>
    Unknown,
    Connected,
    NotConnected,
}

/// <summary>The <see cref="ConnectorStatusReport.Reason"/> values.</summary>
public static class ConnectorReasons
{
    /// <summary>Online.</summary>
    public const string Connected = "Connected";

    public const string Draining = "Draining";

    /// <summary>A (re)connect step is under way, or the bot has not answered yet.</summary>
    public const string Connecting = "Connecting";

    public const string Unauthorized = "Unauthorized";

    public const string ConnectionFailed = "ConnectionFailed";

    public const string CredentialsMissing = "CredentialsMissing";

    /// <summary>Our session was taken by another login of the same agent user.</summary>
    public const string AgentUserConflict = "AgentUserConflict";

    public const string BotUnreachable = "BotUnreachable";

    public const string InvalidConfiguration = "InvalidConfiguration";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConnectorStatusReport))]
public sealed partial class ConnectorStatusJsonContext : JsonSerializerContext;
