using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>The Pod printer's computed cells: READY "1/2", STATUS (phase, waiting reason, Init:..., Terminating), RESTARTS.</summary>
/// <remarks>Restartable (sidecar) init containers are treated like other init containers.</remarks>
internal static class PodCells
{
    public static string Ready(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = Statuses(pod, "containerStatuses").Count(IsReadyAndRunning);
        return string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}");
    }

    public static string Status(JsonObject pod)
    {
        var status = pod["status"];
        var reason = JsonNodes.AsString(status?["phase"]) ?? "";
        if (JsonNodes.AsString(status?["reason"]) is { Length: > 0 } podReason)
        {
            reason = podReason;
        }

        var initializing = false;
        var initStatuses = Statuses(pod, "initContainerStatuses");
        var initCount = (pod["spec"]?["initContainers"] as JsonArray)?.Count ?? initStatuses.Count;
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var state = initStatuses[i]["state"];
            var terminated = state?["terminated"];
            var waitingReason = JsonNodes.AsString(state?["waiting"]?["reason"]);
            if (terminated is not null && (JsonNodes.AsInteger(terminated["exitCode"]) ?? 0) == 0)
            {
                continue;
            }

            initializing = true;
            if (terminated is not null)
            {
                reason = JsonNodes.AsString(terminated["reason"]) is { Length: > 0 } r
                    ? "Init:" + r
                    : ExitDescription("Init:", terminated);
            }
            else if (waitingReason is { Length: > 0 } && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"Init:{i}/{initCount}");
            }

            break;
        }

        if (!initializing)
        {
            var hasRunning = false;
            var statuses = Statuses(pod, "containerStatuses");
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var state = statuses[i]["state"];
                var terminated = state?["terminated"];
                if (JsonNodes.AsString(state?["waiting"]?["reason"]) is { Length: > 0 } waiting)
                {
                    reason = waiting;
                }
                else if (terminated is not null)
                {
                    reason = JsonNodes.AsString(terminated["reason"]) is { Length: > 0 } r ? r : ExitDescription("", terminated);
                }
                else if (IsReadyAndRunning(statuses[i]))
                {
                    hasRunning = true;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = HasReadyCondition(pod) ? "Running" : "NotReady";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = JsonNodes.AsString(status?["reason"]) == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    public static string Restarts(JsonObject pod, DateTimeOffset now)
    {
        long restarts = 0;
        DateTimeOffset? lastRestart = null;
        foreach (var status in Statuses(pod, "initContainerStatuses").Concat(Statuses(pod, "containerStatuses")))
        {
            restarts += JsonNodes.AsInteger(status["restartCount"]) ?? 0;
            if (JsonNodes.AsString(status["lastState"]?["terminated"]?["finishedAt"]) is { } finished
                && DateTimeOffset.TryParse(finished, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                && (lastRestart is null || at > lastRestart))
            {
                lastRestart = at;
            }
        }

        return restarts > 0 && lastRestart is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"{restarts} ({HumanDuration.Format(now - last)} ago)")
            : restarts.ToString(CultureInfo.InvariantCulture);
    }

    public static string Ip(JsonObject pod) =>
        JsonNodes.AsString(pod["status"]?["podIPs"]?[0]?["ip"]) is { Length: > 0 } first ? first
        : JsonNodes.AsString(pod["status"]?["podIP"]) is { Length: > 0 } ip ? ip
        : "<none>";

    public static string ReadinessGates(JsonObject pod)
    {
        if (pod["spec"]?["readinessGates"] is not JsonArray { Count: > 0 } gates)
        {
            return "<none>";
        }

        var conditions = (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var met = gates.OfType<JsonObject>().Count(g => conditions.Any(c =>
            JsonNodes.AsString(c["type"]) == JsonNodes.AsString(g["conditionType"]) && JsonNodes.AsString(c["status"]) == "True"));
        return string.Create(CultureInfo.InvariantCulture, $"{met}/{gates.Count}");
    }

    private static List<JsonObject> Statuses(JsonObject pod, string field) =>
        (pod["status"]?[field] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    private static bool IsReadyAndRunning(JsonObject status) =>
        status["ready"] is JsonValue ready && ready.TryGetValue<bool>(out var isReady) && isReady && status["state"]?["running"] is not null;

    private static bool HasReadyCondition(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => JsonNodes.AsString(c["type"]) == "Ready" && JsonNodes.AsString(c["status"]) == "True") ?? false;

    private static string ExitDescription(string prefix, JsonNode terminated)
    {
        var signal = JsonNodes.AsInteger(terminated["signal"]) ?? 0;
        return signal != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{prefix}Signal:{signal}")
            : string.Create(CultureInfo.InvariantCulture, $"{prefix}ExitCode:{JsonNodes.AsInteger(terminated["exitCode"]) ?? 0}");
    }
}
