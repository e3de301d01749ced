using System.Text.Json.Serialization;
using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>A connector's GET /status answer (docs/connector-contract.md).</summary>
public sealed class ConnectorReport
{
    /// <summary>Starting, Online, Offline or Draining.</summary>
    public string State { get; set; } = "Starting";
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
    /// <summary>The same shape the AgentConnector status shows per connector.</summary>
    public ComponentStatuses? Components { get; set; }
}

/// <summary>The outcome of one poll: a report, or why there is none.</summary>
public sealed record ConnectorPoll(ConnectorReport? Report, string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConnectorReport))]
public sealed partial class ConnectorReportJsonContext : JsonSerializerContext;
