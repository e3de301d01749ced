using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>One connector pod as the reconciler sees it: the pod, and its last /status poll.</summary>
public sealed class ObservedConnector
{
    public ObservedConnector(V1Pod pod, ConnectorPoll? poll)
    {
        ArgumentNullException.ThrowIfNull(pod);
        Pod = pod;
        Poll = poll;
    }

    public V1Pod Pod { get; }
    public ConnectorPoll? Poll { get; }

    public string Name => Pod.Metadata.Name ?? "";
    public string AgentUser => Pod.Metadata.Annotation(ConnectorLabels.AgentUser) ?? "";
    public string? Revision => Pod.Metadata.Annotation(ConnectorLabels.Revision);
    public bool Terminating => Pod.Metadata.DeletionTimestamp is not null;
    public DateTimeOffset? Created => Pod.Metadata.CreationTimestamp.ToInstant();

    /// <summary>The kubelet's readiness: the connector's /readyz passed (logged in, socket up, bot reachable).</summary>
    public bool Ready =>
        !Terminating && Pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public int ActiveConversations => Poll?.Report?.ActiveConversations ?? 0;

    public int WaitingConversations => Poll?.Report?.WaitingConversations ?? 0;

    /// <summary>The service has offered this connector conversations while it was full, so its waiting count is a real demand signal.</summary>
    public bool SeesDemandBeyondCapacity => Poll?.Report?.OfferedAtCapacity > 0;

    public int Restarts => Pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;

    /// <summary>Why the container is not running, as the kubelet says it (CrashLoopBackOff, ImagePullBackOff, ...).</summary>
    public (string Reason, string? Message)? ContainerProblem
    {
        get
        {
            if (Pod.Status?.Phase == "Failed") return (Pod.Status.Reason ?? "Failed", Pod.Status.Message);
            foreach (var container in Pod.Status?.ContainerStatuses ?? [])
            {
                if (container.State?.Waiting is { Reason: { Length: > 0 } reason } waiting && reason != "ContainerCreating")
                    return (reason, waiting.Message);
                if (container.State?.Terminated is { } terminated)
                    return (terminated.Reason ?? "Terminated", terminated.Message ?? $"exit code {terminated.ExitCode}");
            }
            if (Pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { } unscheduled)
                return (unscheduled.Reason ?? "Unschedulable", unscheduled.Message);
            return null;
        }
    }
}
