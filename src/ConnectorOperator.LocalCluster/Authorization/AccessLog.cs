using System.Collections.Concurrent;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>
/// Every distinct authorization decision on HTTP requests, per user: what a client was allowed and what it was
/// denied. Tests read it to prove a client (the operator under its ServiceAccount) needs exactly the permissions
/// it is granted. Distinct entries only, so the log stays small however long a test runs.
/// </summary>
public sealed class AccessLog
{
    private readonly ConcurrentDictionary<AccessEntry, byte> _entries = new();

    public void Record(RequestAttributes attributes, bool allowed) =>
        _entries.TryAdd(new AccessEntry(attributes.User.Name, attributes.Verb, attributes.IsResourceRequest ? attributes.ApiGroup : null,
            attributes.IsResourceRequest ? attributes.ResourceWithSubresource : attributes.Path, allowed), 0);

    /// <summary>The decisions recorded for <paramref name="user"/>.</summary>
    public IReadOnlyList<AccessEntry> For(string user) => [.. _entries.Keys.Where(e => e.User == user)];
}

/// <summary>One decision: <see cref="Group"/> is null for a non-resource path, which <see cref="Resource"/> then holds.</summary>
public sealed record AccessEntry(string User, string Verb, string? Group, string Resource, bool Allowed);
