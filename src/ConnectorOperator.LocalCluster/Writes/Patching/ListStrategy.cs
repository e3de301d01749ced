namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>How a list field merges, from the patchStrategy/patchMergeKey (SMP) and listType (SSA) markers of the API types.</summary>
internal sealed record ListStrategy(ListMergeKind Kind, string? MergeKey = null)
{
    public static readonly ListStrategy Atomic = new(ListMergeKind.Atomic);

    public static readonly ListStrategy Set = new(ListMergeKind.Set);

    public static ListStrategy ByKey(string mergeKey) => new(ListMergeKind.Map, mergeKey);
}

internal enum ListMergeKind
{
    /// <summary>The list is replaced as a whole (no patch strategy, listType=atomic).</summary>
    Atomic,

    /// <summary>Object items identified by <see cref="ListStrategy.MergeKey"/> (patchStrategy=merge with a merge key, listType=map).</summary>
    Map,

    /// <summary>Primitive items merged as a set (patchStrategy=merge on a scalar list, listType=set).</summary>
    Set,
}
