using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>
/// Cells the apiserver's built-in printers compute rather than read: Pod Ready/Status/Restarts, ages, event
/// summaries. A column selects one with a JsonPath marker starting with '@' (never valid JSONPath, so a CRD's
/// printer column cannot collide with one).
/// </summary>
internal static class BuiltInCells
{
    public const string Age = "@age";
    public const string CreatedAt = "@createdAt";
    public const string PodReady = "@pod.ready";
    public const string PodStatus = "@pod.status";
    public const string PodRestarts = "@pod.restarts";
    public const string PodIp = "@pod.ip";
    public const string PodReadinessGates = "@pod.readinessGates";
    public const string DataCount = "@data.count";
    public const string PdbMinAvailable = "@pdb.minAvailable";
    public const string PdbMaxUnavailable = "@pdb.maxUnavailable";
    public const string EventLastSeen = "@event.lastSeen";
    public const string EventFirstSeen = "@event.firstSeen";
    public const string EventObject = "@event.object";
    public const string EventSubobject = "@event.subobject";
    public const string EventSource = "@event.source";
    public const string EventMessage = "@event.message";
    public const string EventCount = "@event.count";

    /// <summary>Prefix for "read this JSONPath, print &lt;none&gt; when absent", as the built-in printers do.</summary>
    public const string OrNonePrefix = "@orNone:";

    public static bool IsMarker(string jsonPath) => jsonPath.StartsWith('@');

    public static JsonNode? Compute(string marker, JsonObject obj, DateTimeOffset now)
    {
        if (marker.StartsWith(OrNonePrefix, StringComparison.Ordinal))
        {
            var value = JsonPathQuery.Parse(marker[OrNonePrefix.Length..]).EvaluateFirst(obj);
            return JsonNodes.AsString(value) is { Length: > 0 } text ? text : value is JsonValue ? value.DeepClone() : "<none>";
        }

        return marker switch
        {
            Age => HumanDuration.Since(CreationTimestamp(obj), now),
            CreatedAt => CreationTimestamp(obj) is { } created ? CanonicalTimestamp(created) : null,
            PodReady => PodCells.Ready(obj),
            PodStatus => PodCells.Status(obj),
            PodRestarts => PodCells.Restarts(obj, now),
            PodIp => PodCells.Ip(obj),
            PodReadinessGates => PodCells.ReadinessGates(obj),
            DataCount => ((obj["data"] as JsonObject)?.Count ?? 0) + ((obj["binaryData"] as JsonObject)?.Count ?? 0),
            PdbMinAvailable => IntOrString(obj["spec"]?["minAvailable"]) ?? "N/A",
            PdbMaxUnavailable => IntOrString(obj["spec"]?["maxUnavailable"]) ?? "N/A",
            EventLastSeen => EventCells.LastSeen(obj, now),
            EventFirstSeen => EventCells.FirstSeen(obj, now),
            EventObject => EventCells.Object(obj),
            EventSubobject => EventCells.Subobject(obj),
            EventSource => EventCells.Source(obj),
            EventMessage => JsonNodes.AsString(obj["message"]) ?? JsonNodes.AsString(obj["note"]) ?? "",
            EventCount => EventCells.Count(obj),
            _ => null,
        };
    }

    private static string? CreationTimestamp(JsonObject obj) => JsonNodes.AsString(obj["metadata"]?["creationTimestamp"]);

    private static string CanonicalTimestamp(string timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? ObjectMeta.Timestamp(time)
            : timestamp;

    private static string? IntOrString(JsonNode? value) =>
        JsonNodes.AsString(value) ?? JsonNodes.AsInteger(value)?.ToString(CultureInfo.InvariantCulture);
}
