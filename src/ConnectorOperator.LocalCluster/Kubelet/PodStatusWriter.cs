using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// Writes pod status through /status only when it changed, as a kubelet does; a condition's lastTransitionTime
/// moves only when its value does.
/// </summary>
internal sealed class PodStatusWriter(ApiServerDouble server, TimeProvider time)
{
    public void Write(string @namespace, string name, JsonObject status)
    {
        var current = server.GetObject("v1", "Pod", @namespace, name);
        if (current is null) return;
        if (current["status"] is JsonObject existing && Comparable(existing) == Comparable(status)) return;
        var now = ObjectMeta.Timestamp(time.GetUtcNow());
        foreach (var condition in status["conditions"]?.AsArray() ?? [])
        {
            var before = current["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == condition!["type"]!.GetValue<string>());
            condition!["lastTransitionTime"] = before?["status"]?.GetValue<string>() == condition["status"]!.GetValue<string>()
                ? before!["lastTransitionTime"]?.DeepClone()
                : now;
        }
        try
        {
            server.ModifyObject("v1", "Pod", @namespace, name, pod =>
            {
                pod["status"] = status;
                return pod;
            }, statusOnly: true);
        }
        catch (ApiStatusException e) when (e.Code == 404)
        {
            // Deleted between the read and this write.
        }
    }

    /// <summary>The status without times, so an unchanged pod is not rewritten.</summary>
    private static string Comparable(JsonObject status)
    {
        var copy = (JsonObject)status.DeepClone();
        foreach (var condition in copy["conditions"]?.AsArray() ?? []) (condition as JsonObject)?.Remove("lastTransitionTime");
        return copy.ToJsonString();
    }
}
