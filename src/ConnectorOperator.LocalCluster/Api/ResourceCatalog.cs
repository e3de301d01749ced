using System.Collections.Immutable;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>
/// The resources currently served: the built-ins plus those of established CRDs. Readers see an immutable snapshot;
/// writers (the store, under its lock) swap in a new one.
/// </summary>
public sealed class ResourceCatalog
{
    private ImmutableDictionary<string, ImmutableArray<ResourceType>> _custom = ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty;

    /// <summary>Every served resource, built-ins first.</summary>
    public IReadOnlyList<ResourceType> All
    {
        get
        {
            var custom = Volatile.Read(ref _custom);
            return [.. BuiltInResources.All, .. custom.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => c.Value)];
        }
    }

    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    /// <summary>The versions served for a storage key, preferred first.</summary>
    public IReadOnlyList<ResourceType> VersionsOf(string storageKey) =>
        [.. All.Where(r => r.StorageKey == storageKey).OrderBy(r => r.Version, KubeVersionComparer.Instance)];

    /// <summary>Served groups with their versions, preferred version first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        [.. All.Where(r => r.Group.Length > 0)
            .GroupBy(r => r.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(r => r.Version).Distinct().OrderBy(v => v, KubeVersionComparer.Instance)]))];

    internal void SetCustom(string crdName, IReadOnlyList<ResourceType> types) =>
        ImmutableInterlocked.Update(ref _custom, c => c.SetItem(crdName, [.. types]));

    internal void RemoveCustom(string crdName) => ImmutableInterlocked.Update(ref _custom, c => c.Remove(crdName));
}
