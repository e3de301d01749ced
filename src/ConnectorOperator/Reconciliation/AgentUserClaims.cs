using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// An agent user can serve only one bot. When two AgentConnectors name the same agent user of one account,
/// the one created first keeps it (ties broken by namespace/name); the later one is told who holds it.
/// </summary>
public static class AgentUserClaims
{
    public static Dictionary<string, string> ConflictsFor(AgentConnector self, IEnumerable<AgentConnector> all)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(all);
        var conflicts = new Dictionary<string, string>(StringComparer.Ordinal);
        var mine = self.Spec.AgentUsers.Select(u => u.LoginName).ToHashSet(StringComparer.Ordinal);
        foreach (var other in all)
        {
            if (other.Metadata.Uid == self.Metadata.Uid || other.Spec.AccountId != self.Spec.AccountId) continue;
            if (other.Metadata.DeletionTimestamp is not null || !ClaimedBefore(other, self)) continue;
            foreach (var user in other.Spec.AgentUsers)
            {
                if (mine.Contains(user.LoginName)) conflicts.TryAdd(user.LoginName, $"{other.Metadata.NamespaceProperty}/{other.Metadata.Name}");
            }
        }
        return conflicts;
    }

    private static bool ClaimedBefore(AgentConnector a, AgentConnector b)
    {
        var ta = a.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue;
        var tb = b.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue;
        if (ta != tb) return ta < tb;
        return string.CompareOrdinal($"{a.Metadata.NamespaceProperty}/{a.Metadata.Name}", $"{b.Metadata.NamespaceProperty}/{b.Metadata.Name}") < 0;
    }
}
