using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>One committed change. <see cref="Object"/> and <see cref="Old"/> are stored objects: never mutated, clone before handing out.</summary>
internal sealed record ChangeEvent(long ResourceVersion, string Type, string StorageKey, JsonObject Object, JsonObject? Old);

/// <summary>What a watcher receives: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR with the object to send.</summary>
public readonly record struct WatchEvent(string Type, JsonObject Object);

public static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
