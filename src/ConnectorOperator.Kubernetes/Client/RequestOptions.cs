namespace ConnectorOperator.Kubernetes.Client;

public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public int? Limit { get; init; }
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
}

public sealed record WatchOptions
{
    public string? ResourceVersion { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Server-side timeout; the server ends the stream cleanly after it.</summary>
    public int? TimeoutSeconds { get; init; }
    public bool AllowBookmarks { get; init; } = true;
    /// <summary>Client-side: give up on a stream that sends nothing (not even a bookmark) for this long.</summary>
    public TimeSpan? IdleTimeout { get; init; }
}

public sealed record PatchOptions
{
    /// <summary>"status" or "scale", or null for the main resource.</summary>
    public string? Subresource { get; init; }
    public string? FieldManager { get; init; }
    /// <summary>Server-side apply only: take ownership of conflicting fields.</summary>
    public bool Force { get; init; }
}

public sealed record DeleteOptions
{
    /// <summary>Background, Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }
    public long? GracePeriodSeconds { get; init; }
    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }
}
