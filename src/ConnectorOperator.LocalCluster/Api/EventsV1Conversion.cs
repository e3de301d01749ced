using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>
/// events.k8s.io/v1 Events are stored as core/v1 Events, as the real apiserver keeps one Event in one place and serves it in
/// both versions. Fields with a counterpart are renamed (regarding = involvedObject, note = message, deprecated* = the
/// core names, reportingController = reportingComponent); anything else is left out of the other view.
/// </summary>
internal sealed class EventsV1Conversion : IStoredFormConversion
{
    private const string StoredApiVersion = "v1";
    private const string ServedApiVersion = "events.k8s.io/v1";

    // (core/v1 name, events.k8s.io/v1 name), in the order the events.k8s.io/v1 type declares its fields.
    private static readonly (string Core, string Events)[] Fields =
    [
        ("eventTime", "eventTime"),
        ("series", "series"),
        ("reportingComponent", "reportingController"),
        ("reportingInstance", "reportingInstance"),
        ("action", "action"),
        ("reason", "reason"),
        ("involvedObject", "regarding"),
        ("related", "related"),
        ("message", "note"),
        ("type", "type"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    public static EventsV1Conversion Instance { get; } = new();

    public JsonObject ToStored(JsonObject served) => Convert(served, StoredApiVersion, toCore: true);

    public JsonObject FromStored(JsonObject stored) => Convert(stored, ServedApiVersion, toCore: false);

    private static JsonObject Convert(JsonObject from, string apiVersion, bool toCore)
    {
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "Event" };
        if (from["metadata"] is { } metadata)
        {
            result["metadata"] = metadata.DeepClone();
        }

        foreach (var (core, events) in Fields)
        {
            var (source, target) = toCore ? (events, core) : (core, events);
            if (from.TryGetPropertyValue(source, out var value))
            {
                result[target] = core switch
                {
                    // Both versions' EventSeries and EventSource hold exactly these fields.
                    "series" => Only(value, "count", "lastObservedTime"),
                    "source" => Only(value, "component", "host"),
                    _ => value?.DeepClone(),
                };
            }
        }

        return result;
    }

    private static JsonNode? Only(JsonNode? value, params string[] keys)
    {
        if (value is not JsonObject obj)
        {
            return value?.DeepClone();
        }

        var kept = new JsonObject();
        foreach (var key in keys)
        {
            if (obj.TryGetPropertyValue(key, out var field))
            {
                kept[key] = field?.DeepClone();
            }
        }

        return kept;
    }
}
