using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes;

/// <summary>pods/binding: what a scheduler calls to place a pod, the only way to set spec.nodeName after creation.</summary>
internal static class PodBinding
{
    public static JsonObject Bind(ResourceType pods, JsonObject pod, string name, string node, DateTimeOffset now)
    {
        if (pod["spec"]?["nodeName"] is JsonValue assigned && assigned.TryGetValue<string>(out var existing) && existing.Length > 0)
            throw StatusObjects.Conflict(pods.QualifiedResource, pods.Group, pods.Plural, name, $"pod {name} is already assigned to node \"{existing}\"");

        pod["spec"]!["nodeName"] = node;
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        conditions.Add(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = ObjectMeta.Timestamp(now) });
        return pod;
    }
}
