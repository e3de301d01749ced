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
    public bool Draining { get; set; }
    /// <summary>The same shape the AgentConnector status shows per connector.</summary>
    public ComponentStatuses? Components { get; set; }
}

/// <summary>The outcome of one poll: a report, or why there is none.</summary>
public sealed record ConnectorPoll(ConnectorReport? Report, string? Error, DateTimeOffset At);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConnectorReport))]
public sealed partial class ConnectorReportJsonContext : JsonSerializerContext;
