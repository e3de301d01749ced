using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>The Event printer's cells, for both core/v1 Events and events.k8s.io/v1 Events (regarding, note, deprecated* fields).</summary>
internal static class EventCells
{
    public static string FirstSeen(JsonObject e, DateTimeOffset now) =>
        HumanDuration.Since(Text(e, "firstTimestamp", "deprecatedFirstTimestamp") ?? JsonNodes.AsString(e["eventTime"]), now);

    public static string LastSeen(JsonObject e, DateTimeOffset now)
    {
        if (JsonNodes.AsString(e["series"]?["lastObservedTime"]) is { } observed)
        {
            return HumanDuration.Since(observed, now);
        }

        return Text(e, "lastTimestamp", "deprecatedLastTimestamp") is { } last
            ? HumanDuration.Since(last, now)
            : FirstSeen(e, now);
    }

    public static string Object(JsonObject e)
    {
        var target = e["involvedObject"] ?? e["regarding"];
        var kind = JsonNodes.AsString(target?["kind"]) ?? "";
        return kind.ToLowerInvariant() + "/" + (JsonNodes.AsString(target?["name"]) ?? "");
    }

    /// <summary>The referenced object's fieldPath, null when it has none (the cell is then empty).</summary>
    public static string? Subobject(JsonObject e) => JsonNodes.AsString((e["involvedObject"] ?? e["regarding"])?["fieldPath"]);

    public static string Source(JsonObject e)
    {
        var component = JsonNodes.AsString(e["source"]?["component"]) ?? JsonNodes.AsString(e["deprecatedSource"]?["component"])
            ?? JsonNodes.AsString(e["reportingController"]) ?? JsonNodes.AsString(e["reportingComponent"]) ?? "";
        var host = JsonNodes.AsString(e["source"]?["host"]) ?? JsonNodes.AsString(e["deprecatedSource"]?["host"]);
        return host is { Length: > 0 } ? component + ", " + host : component;
    }

    public static string Count(JsonObject e)
    {
        var count = JsonNodes.AsInteger(e["series"]?["count"]) ?? JsonNodes.AsInteger(e["count"]) ?? JsonNodes.AsInteger(e["deprecatedCount"]) ?? 1;
        return count.ToString(CultureInfo.InvariantCulture);
    }

    private static string? Text(JsonObject e, string coreField, string eventsField) =>
        JsonNodes.AsString(e[coreField]) ?? JsonNodes.AsString(e[eventsField]);
}
