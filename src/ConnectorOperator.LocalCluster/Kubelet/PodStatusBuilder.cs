using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>Pod status as a kubelet reports it for a single-container pod.</summary>
internal static class PodStatusBuilder
{
    public static JsonObject Build(JsonObject pod, string podIp, DateTimeOffset startTime, ContainerView view)
    {
        var started = ObjectMeta.Timestamp(startTime);
        var phase = Phase(pod, view);
        var readyText = view.Ready ? "True" : "False";
        return new JsonObject
        {
            ["phase"] = phase,
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = podIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
            ["startTime"] = started,
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True", started),
                Condition("Initialized", "True", started),
                Condition("ContainersReady", readyText, started),
                Condition("Ready", readyText, started)),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = PodSpecReader.ContainerName(pod),
                ["image"] = PodSpecReader.Image(pod),
                ["imageID"] = "",
                ["ready"] = view.Ready,
                ["started"] = view.Started,
                ["restartCount"] = view.RestartCount,
                ["state"] = State(view.State),
                ["lastState"] = view.LastTerminated is null ? new JsonObject() : State(view.LastTerminated),
            }),
        };
    }

    /// <summary>Pending until the container first runs; with restarts it stays Running, as Kubernetes reports a crash loop.</summary>
    private static string Phase(JsonObject pod, ContainerView view) => view.State switch
    {
        ContainerState.Terminated t when PodSpecReader.RestartPolicy(pod) == "Never" || (PodSpecReader.RestartPolicy(pod) == "OnFailure" && t.ExitCode == 0)
            => t.ExitCode == 0 ? "Succeeded" : "Failed",
        ContainerState.Waiting when view.RestartCount == 0 && view.LastTerminated is null => "Pending",
        _ => "Running",
    };

    private static JsonObject State(ContainerState state) => state switch
    {
        ContainerState.Running r => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = ObjectMeta.Timestamp(r.StartedAt) } },
        ContainerState.Waiting w => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = w.Reason, ["message"] = w.Message } },
        ContainerState.Terminated t => new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = t.ExitCode,
                ["reason"] = t.Reason,
                ["message"] = t.Message,
                ["startedAt"] = ObjectMeta.Timestamp(t.StartedAt),
                ["finishedAt"] = ObjectMeta.Timestamp(t.FinishedAt),
            },
        },
        _ => new JsonObject(),
    };

    private static JsonObject Condition(string type, string status, string time) =>
        new() { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = time, ["lastProbeTime"] = null };
}
