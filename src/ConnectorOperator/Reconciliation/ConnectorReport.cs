using System.Text.Json.Serialization;

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
    public ReportedComponents? Components { get; set; }
}

public sealed class ReportedComponents
{
    public ReportedComponent? ConversationalCloud { get; set; }
    public ReportedComponent? Authentication { get; set; }
    public ReportedComponent? Bot { get; set; }
}

public sealed class ReportedComponent
{
    public string Status { get; set; } = "Unknown";
    public string? Message { get; set; }
    public DateTimeOffset? Since { get; set; }
}

/// <summary>The outcome of one poll: a report, or why there is none.</summary>
public sealed record ConnectorPoll(ConnectorReport? Report, string? Error, DateTimeOffset At);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConnectorReport))]
public sealed partial class ConnectorReportJsonContext : JsonSerializerContext;
