using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>
/// Field selector labels of Events in both versions, read from the one stored (core/v1) form. events.k8s.io/v1 labels
/// are renamed to the core ones as the apiserver's field label conversion does; <c>source</c> is the reporting
/// component, falling back to reportingComponent (the core strategy's selectable fields).
/// </summary>
internal static class EventSelectableFields
{
    private const string RegardingPrefix = "regarding.";

    private static readonly string[] ReferenceFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

    public static IReadOnlyList<string> Core { get; } =
        [.. ReferenceFields.Select(f => "involvedObject." + f), "reason", "reportingComponent", "source", "type"];

    public static IReadOnlyList<string> EventsV1 { get; } =
        [.. ReferenceFields.Select(f => RegardingPrefix + f), "reason", "reportingController", "source", "type"];

    /// <summary>A core/v1 label's value, or null when it is a plain path.</summary>
    public static string? ReadCore(JsonObject stored, string label) => label == "source" ? Source(stored) : null;

    /// <summary>An events.k8s.io/v1 label's value, or null when it is a plain path with the same name in the stored form.</summary>
    public static string? ReadEventsV1(JsonObject stored, string label) => label switch
    {
        "source" => Source(stored),
        "reportingController" => JsonNodes.SelectorValue(stored, "reportingComponent"),
        _ when label.StartsWith(RegardingPrefix, StringComparison.Ordinal) => JsonNodes.SelectorValue(stored, "involvedObject." + label[RegardingPrefix.Length..]),
        _ => null,
    };

    private static string Source(JsonObject stored) =>
        JsonNodes.SelectorValue(stored, "source.component") is { Length: > 0 } component ? component : JsonNodes.SelectorValue(stored, "reportingComponent");
}
