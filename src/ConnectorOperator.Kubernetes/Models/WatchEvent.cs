using k8s.Models;

namespace ConnectorOperator.Kubernetes.Models;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>One line of a watch stream. For <see cref="WatchEventType.Error"/>, <see cref="Status"/> is set instead of <see cref="Object"/>.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status = null);
