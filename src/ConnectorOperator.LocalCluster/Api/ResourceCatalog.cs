using System.Collections.Immutable;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>
/// The resources currently served: the built-ins plus those of established CRDs. Readers see an immutable snapshot;
/// writers (the store, under its lock) swap in a new one.
/// </summary>
public sealed class ResourceCatalog
{
    private Snapshot _snapshot = Snapshot.Of(ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty);

    /// <summary>Every served resource, built-ins first.</summary>
    public IReadOnlyList<ResourceType> All => Volatile.Read(ref _snapshot).All;

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
        ImmutableInterlocked.Update(ref _snapshot, s => Snapshot.Of(s.Custom.SetItem(crdName, [.. types])));

    internal void RemoveCustom(string crdName) => ImmutableInterlocked.Update(ref _snapshot, s => Snapshot.Of(s.Custom.Remove(crdName)));

    /// <summary>The custom resources by CRD name, and <see cref="All"/> built from them once per change (it is read on every request).</summary>
    private sealed record Snapshot(ImmutableDictionary<string, ImmutableArray<ResourceType>> Custom, IReadOnlyList<ResourceType> All)
    {
        public static Snapshot Of(ImmutableDictionary<string, ImmutableArray<ResourceType>> custom) =>
            new(custom, [.. BuiltInResources.All, .. custom.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => c.Value)]);
    }
}
