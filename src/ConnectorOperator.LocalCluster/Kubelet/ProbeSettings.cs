using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>One probe of a container spec with the Kubernetes defaults filled in.</summary>
internal sealed record ProbeSettings(JsonNode? HttpGet, TimeSpan InitialDelay, TimeSpan Period, TimeSpan Timeout, int SuccessThreshold, int FailureThreshold)
{
    /// <summary>Null when the container has no such probe (the kubelet then treats it as passing).</summary>
    public static ProbeSettings? Read(JsonObject container, string probeName, double periodScale)
    {
        if (container[probeName] is not JsonObject probe) return null;
        TimeSpan Seconds(string field, long fallback, long minimum) =>
            TimeSpan.FromSeconds(Math.Max(minimum, PodSpecReader.Long(probe[field]) ?? fallback) * periodScale);
        return new ProbeSettings(
            probe["httpGet"],
            Seconds("initialDelaySeconds", 0, 0),
            Seconds("periodSeconds", 10, 1),
            // A timeout is not scaled below what a loopback HTTP call needs.
            TimeSpan.FromSeconds(Math.Max(1, PodSpecReader.Long(probe["timeoutSeconds"]) ?? 1)),
            (int)Math.Max(1, PodSpecReader.Long(probe["successThreshold"]) ?? 1),
            (int)Math.Max(1, PodSpecReader.Long(probe["failureThreshold"]) ?? 3));
    }
}
