using System.Globalization;
using System.Text;

namespace ConnectorOperator.LoadBench;

/// <summary>The results as the Markdown table docs/benchmarks.md quotes.</summary>
internal static class MarkdownReport
{
    public static string Render(LoadBenchOptions options, IReadOnlyList<LoadRunResult> results, MachineDescription machine)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Connector load benchmark, {machine.StartedUtc:yyyy-MM-dd HH:mm} UTC"));
        text.AppendLine();
        text.AppendLine(Invariant($"- machine: {machine.Cores} cores, {machine.Os}, .NET {machine.Runtime}; load average before: {machine.LoadBefore}, after: {machine.LoadAfter}"));
        text.AppendLine(Invariant($"- per run: {options.Duration.TotalSeconds:0} s of sending at {options.Rate} messages/s per conversation, conversations opened over {options.OpenSpread.TotalSeconds:0} s, sample bot latency {options.BotLatency.TotalMilliseconds:0} ms, messageDelay 0, ringAcceptWait 0"));
        text.AppendLine("- RTT = a consumer message in an established conversation to the bot's answer reaching the consumer; overhead = RTT − the connector-timed mean bot call; opening = a conversation's first message to its first answer (routing, ring, accept, the connector's 200 ms history window, bot)");
        text.AppendLine("- CPU and memory are the connector child process's own; working set is resident memory, private is the process's data segment (VmData on Linux: reserved, not all resident), medians of readings every 0.5 s");
        text.AppendLine();
        text.AppendLine("| conversations | held | lost | round trips | unanswered | RTT p50 ms | RTT p99 ms | RTT max ms | bot call mean ms | overhead p50 ms | overhead p99 ms | opening p50 / p99 ms | CPU % of one core | CPU ms / message | working set MiB (idle → load) | KiB / conversation (WS) | KiB / conversation (private) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(Invariant(
                $"| {r.Conversations} | {r.HeldAtSteadyState} | {r.Lost} | {r.RoundTrips} | {r.UnansweredMessages} | {r.RoundTripP50Ms:0.0} | {r.RoundTripP99Ms:0.0} | {r.RoundTripMaxMs:0.0} | {r.BotCallMeanMs:0.0} | {r.OverheadP50Ms:0.0} | {r.OverheadP99Ms:0.0} | {r.OpeningP50Ms:0} / {r.OpeningP99Ms:0} | {r.CpuPercentOfOneCore:0.0} | {r.CpuMsPerMessage:0.00} | {Mib(r.BaselineWorkingSetBytes)} → {Mib(r.SteadyWorkingSetBytes)} | {r.WorkingSetKiBPerConversation:0} | {r.PrivateKiBPerConversation:0} |"));
        }

        if (results.Count >= 2)
        {
            // Per-run deltas carry a fixed "busy" cost (thread pool, socket buffers, GC budget); the slope
            // across runs is what one more conversation or message really adds.
            var n = results.Select(r => (double)r.Conversations).ToList();
            var workingSet = Slope(n, results.Select(r => r.SteadyWorkingSetBytes / 1024.0).ToList());
            var privateBytes = Slope(n, results.Select(r => r.SteadyPrivateBytes / 1024.0).ToList());
            var messagesPerSecond = results.Select(r => r.RelayedToBot / r.SteadySeconds).ToList();
            var cpuMsPerSecond = results.Select(r => r.CpuPercentOfOneCore * 10).ToList();
            var cpuPerMessage = Slope(messagesPerSecond, cpuMsPerSecond);
            text.AppendLine();
            text.AppendLine(Invariant($"Marginal cost (least-squares slope across the runs): {workingSet:0.0} KiB working set and {privateBytes:0.0} KiB private memory per conversation; {cpuPerMessage:0.00} CPU ms per relayed message."));
        }

        return text.ToString();
    }

    /// <summary>Least-squares slope of <paramref name="ys"/> over <paramref name="xs"/>.</summary>
    internal static double Slope(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var meanX = xs.Average();
        var meanY = ys.Average();
        var covariance = xs.Zip(ys, (x, y) => (x - meanX) * (y - meanY)).Sum();
        var variance = xs.Sum(x => (x - meanX) * (x - meanX));
        return variance == 0 ? double.NaN : covariance / variance;
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
