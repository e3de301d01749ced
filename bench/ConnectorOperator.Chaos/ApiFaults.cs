using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Faults;

namespace ConnectorOperator.Chaos;

/// <summary>
/// The API server faults of a chaos run: while on, a share of requests fail (half 500, half 429 with Retry-After)
/// and every request waits 5-105 ms; on top, watch disruptions in turn (cut, 410 as an ERROR event, stall,
/// 410 as an HTTP status). Counts what was actually served.
/// </summary>
internal sealed class ApiFaults(ApiServerDouble server, Random random)
{
    private FaultRule? _errors;
    private FaultRule? _throttles;
    private TimeSpan? _stallEnds;
    private int _streamsHit;
    private int _turn;

    public Dictionary<string, int> Counts { get; } = [];

    public void Start(double errorRate)
    {
        _errors = server.Faults.FailRequests(errorRate / 2, 500);
        // The second rule sees only what the first let through: its share is raised so the two fail errorRate in all.
        _throttles = server.Faults.FailRequests(errorRate / 2 / (1 - (errorRate / 2)), 429, retryAfterSeconds: 1);
        server.Faults.Latency = TimeSpan.FromMilliseconds(5);
        server.Faults.LatencyJitter = TimeSpan.FromMilliseconds(100);
    }

    /// <summary>The next watch disruption; <paramref name="now"/> is the fault phase's clock (a stall lasts 1-4 s of it).</summary>
    public void DisruptWatches(TimeSpan now)
    {
        var turn = _turn++ % 4;
        switch (turn)
        {
            case 0:
                Count("watch cuts", server.Faults.CutWatches());
                break;
            case 1 or 3:
                // Every watch ends; the next two re-watches are told their resourceVersion is too old, one way or the other.
                var style = turn == 1 ? WatchGoneStyle.ErrorEvent : WatchGoneStyle.HttpStatus;
                server.Faults.ForceWatchGone(style, count: 2);
                Count(style == WatchGoneStyle.ErrorEvent ? "410 ERROR event episodes" : "410 HTTP status episodes", server.Faults.EndWatches());
                break;
            default:
                server.Faults.WatchesStalled = true;
                _stallEnds = now + TimeSpan.FromSeconds(1 + random.Next(4));
                Count("stalled watches", server.Faults.OpenWatchCount);
                break;
        }
    }

    /// <summary>Ends a stall whose time is up.</summary>
    public void Tick(TimeSpan now)
    {
        if (_stallEnds is not { } ends || now < ends) return;
        server.Faults.WatchesStalled = false;
        _stallEnds = null;
    }

    /// <summary>Counts one disruption that hit <paramref name="hit"/> watches or connectors (none hit: not counted).</summary>
    public void Count(string fault, int hit = 1)
    {
        if (hit == 0) return;
        Counts[fault] = Counts.GetValueOrDefault(fault) + 1;
        if (fault is not "connector crashes" and not "connector kills") _streamsHit += hit;
    }

    /// <summary>Turns every fault off and records what the API served.</summary>
    public void Stop()
    {
        Counts["500"] = _errors?.Fired ?? 0;
        Counts["429 with Retry-After"] = _throttles?.Fired ?? 0;
        Counts["watch streams cut, ended or stalled"] = _streamsHit;
        Counts["410 served as ERROR event"] = server.Faults.GoneServed(WatchGoneStyle.ErrorEvent);
        Counts["410 served as HTTP status"] = server.Faults.GoneServed(WatchGoneStyle.HttpStatus);
        Counts["requests delayed 5-105 ms"] = (int)server.Faults.DelayedRequests;
        server.Faults.Reset();
    }
}
