using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>A page of a chat's events as the Chat API shows them, and where the next page starts.</summary>
internal sealed record ChatEventView(JsonArray Events, long NextFrom);
