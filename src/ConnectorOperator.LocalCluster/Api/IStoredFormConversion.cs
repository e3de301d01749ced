using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>
/// Converts objects of one served version to and from the shape they are stored in, for resources that share a store
/// with a differently shaped version. Both directions return new objects and leave their input alone.
/// </summary>
internal interface IStoredFormConversion
{
    /// <summary>The stored form of an object written through this version (apiVersion and kind of the store).</summary>
    JsonObject ToStored(JsonObject served);

    /// <summary>The stored object as this version shows it (apiVersion and kind of this version).</summary>
    JsonObject FromStored(JsonObject stored);
}
