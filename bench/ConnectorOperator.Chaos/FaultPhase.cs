using System.Diagnostics;
using System.Globalization;

namespace ConnectorOperator.Chaos;

/// <summary>
/// The part both chaos runs share: checking the invariants and tending the two operator processes throughout,
/// the API and watch faults, connector crashes and leader kills for the fault phase, and the wait for convergence.
/// </summary>
internal sealed class FaultPhase(ChaosOptions options, ClusterView cluster, InvariantMonitor monitor, OperatorReplicas operators, ApiFaults faults, TextWriter progress)
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs the faults for <see cref="ChaosOptions.FaultPhase"/>: <paramref name="step"/> is one user operation,
    /// <paramref name="crashConnector"/> crashes one connector (returns how many it hit). Disruptions come in turn, a
    /// watch fault then a connector crash, so even a short run has each several times.
    /// </summary>
    public async Task RunAsync(Action step, TimeSpan stepInterval, Func<int> crashConnector, string crashName, CancellationToken cancellationToken)
    {
        faults.Start(options.ErrorRate);
        var phase = Stopwatch.StartNew();
        var nextStep = TimeSpan.Zero;
        var nextCheck = TimeSpan.Zero;
        var nextDisruption = options.DisruptionInterval;
        var nextReport = TimeSpan.FromSeconds(15);
        var turn = 0;
        while (phase.Elapsed < options.FaultPhase)
        {
            var now = phase.Elapsed;
            if (now >= nextStep)
            {
                step();
                nextStep = now + stepInterval;
            }
            if (now >= nextCheck)
            {
                monitor.Check(cluster);
                operators.Tend();
                nextCheck = now + CheckInterval;
            }
            faults.Tick(now);
            if (now >= nextDisruption)
            {
                if (turn++ % 3 == 2) faults.Count(crashName, crashConnector());
                else faults.DisruptWatches(now);
                nextDisruption = now + options.DisruptionInterval;
            }
            // Each leader gets to lead for the interval first, so the run is not spent mostly waiting for takeovers.
            if (operators.LeadingFor(DateTimeOffset.UtcNow) >= options.KillInterval) operators.KillLeader();
            if (now >= nextReport)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"chaos: {now.TotalSeconds:F0} s, violations {monitor.DuplicateAgentUserPods}/{monitor.PodsAboveDesired}/{monitor.OrphanPods}, crashes {operators.Crashes}, leader kills {operators.LeaderKills}"));
                nextReport += TimeSpan.FromSeconds(15);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        faults.Stop();
    }

    /// <summary>Checks invariants until every AgentConnector has converged (returns how long it took) or the limit passes (null).</summary>
    public async Task<TimeSpan?> ConvergeAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(10);
        while (waited.Elapsed < limit)
        {
            monitor.Check(cluster);
            operators.Tend();
            var problems = InvariantMonitor.NotConverged(cluster);
            if (problems.Count == 0) return waited.Elapsed;
            if (waited.Elapsed >= nextReport)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chaos: {waited.Elapsed.TotalSeconds:F0} s, {problems.Count} not converged, e.g. {problems[0]}"));
                nextReport += TimeSpan.FromSeconds(10);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        return null;
    }
}
