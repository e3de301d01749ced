using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>One page of a list.</summary>
public sealed record ListResult(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
