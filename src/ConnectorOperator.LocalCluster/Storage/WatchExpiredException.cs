namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>A watch asked to resume from a resourceVersion the history no longer holds (answered as 410 Expired).</summary>
public sealed class WatchExpiredException(string message) : Exception(message);
