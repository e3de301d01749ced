namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// The kubelet's restart delay: the first restart is immediate, then the initial delay doubling up to the cap
/// (10 s to 5 min on a real node); a container that ran for a while starts over.
/// </summary>
internal sealed class CrashLoopBackOff(TimeSpan initial, TimeSpan max, TimeSpan resetAfter)
{
    private TimeSpan _next = TimeSpan.Zero;

    /// <summary>How long to wait before restarting a container that ran for <paramref name="ranFor"/>.</summary>
    public TimeSpan NextDelay(TimeSpan ranFor)
    {
        if (ranFor >= resetAfter) _next = TimeSpan.Zero;
        var delay = _next;
        _next = _next == TimeSpan.Zero ? initial : TimeSpan.FromTicks(Math.Min(max.Ticks, _next.Ticks * 2));
        return delay;
    }
}
