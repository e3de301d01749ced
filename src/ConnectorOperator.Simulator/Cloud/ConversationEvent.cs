using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>One sequenced event of a conversation's main dialog.</summary>
internal sealed record ConversationEvent(
    long Sequence,
    string OriginatorId,
    string Role,
    DateTimeOffset At,
    string Type,
    string? Text,
    JsonObject Event);
