namespace ConnectorOperator.LocalCluster.Faults;

/// <summary>How a forced "resourceVersion too old" reaches a watcher.</summary>
public enum WatchGoneStyle
{
    /// <summary>A 200 stream whose only event is ERROR carrying a 410 Expired Status (what real servers usually do).</summary>
    ErrorEvent,

    /// <summary>A plain HTTP 410 response with a Status body.</summary>
    HttpStatus,
}
