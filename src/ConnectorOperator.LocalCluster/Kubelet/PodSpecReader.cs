using System.Globalization;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>Reads the parts of a pod object a kubelet acts on.</summary>
internal static class PodSpecReader
{
    public static string Uid(JsonObject pod) => pod["metadata"]!["uid"]!.GetValue<string>();

    public static string Namespace(JsonObject pod) => pod["metadata"]!["namespace"]!.GetValue<string>();

    public static string Name(JsonObject pod) => pod["metadata"]!["name"]!.GetValue<string>();

    public static bool IsDeleting(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    /// <summary>The first container: connector pods have exactly one, and this kubelet runs only one.</summary>
    public static JsonObject? MainContainer(JsonObject pod) => pod["spec"]?["containers"]?[0] as JsonObject;

    public static string ContainerName(JsonObject pod) => MainContainer(pod)?["name"]?.GetValue<string>() ?? "main";

    public static string Image(JsonObject pod) => MainContainer(pod)?["image"]?.GetValue<string>() ?? "";

    public static string RestartPolicy(JsonObject pod) => pod["spec"]?["restartPolicy"]?.GetValue<string>() ?? "Always";

    /// <summary>The grace period of a delete: what the delete asked for, else the pod's own, else the Kubernetes default of 30 s.</summary>
    public static TimeSpan GracePeriod(JsonObject pod)
    {
        var seconds = Long(pod["metadata"]?["deletionGracePeriodSeconds"]) ?? Long(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
        return TimeSpan.FromSeconds(Math.Max(0, seconds));
    }

    /// <summary>A probe or handler port: a number, a numeric string, or the name of a container port.</summary>
    public static int? ResolvePort(JsonNode container, JsonNode? port)
    {
        if (port is JsonValue value && value.TryGetValue<int>(out var number)) return number;
        var name = port is JsonValue text && text.TryGetValue<string>(out var s) ? s : null;
        if (name is null) return null;
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        foreach (var p in container["ports"]?.AsArray() ?? [])
        {
            if (p?["name"]?.GetValue<string>() == name) return p?["containerPort"]?.GetValue<int>();
        }
        return null;
    }

    public static long? Long(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var n) ? n
        : node is JsonValue v && v.TryGetValue<int>(out var i) ? i
        : node is JsonValue d && d.TryGetValue<double>(out var x) ? (long)x
        : null;
}
