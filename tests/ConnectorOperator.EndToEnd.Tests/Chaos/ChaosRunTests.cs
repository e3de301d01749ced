using ConnectorOperator.Chaos;
using Xunit.Abstractions;

namespace ConnectorOperator.EndToEnd.Tests.Chaos;

/// <summary>
/// The short chaos run CI does on every change: 20 AgentConnectors, 40 s of every fault (API errors, latency, watch
/// cuts, 410s both ways, stalled watches, connector crashes, SIGKILLs of the leading operator of two processes).
/// The long runs are <c>make chaos</c> (docs/benchmarks.md).
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_AgentConnectors_under_every_fault_keep_every_invariant_and_converge_after_the_faults_stop()
    {
        var logs = Path.Combine(Path.GetTempPath(), "connector-operator-chaos-tests", Guid.NewGuid().ToString("N"));
        var options = new ChaosOptions
        {
            Connectors = 20,
            FaultPhase = TimeSpan.FromSeconds(40),
            WarmUpLimit = TimeSpan.FromSeconds(60),
            LogDirectory = logs,
            // Quicker takeovers than the production 15 s lease, so two leaders are killed within 40 s and still lead most of it.
            OperatorArguments = { "--LeaderElection:LeaseDuration=00:00:06", "--LeaderElection:RenewDeadline=00:00:04", "--LeaderElection:RetryPeriod=00:00:01" },
        };
        using var progress = new StringWriter();

        var result = await ChaosRun.RunAsync(options, progress);

        var report = progress + result.ToString();
        output.WriteLine(report);
        Assert.True(result.Passed, report);
        Assert.True(result.LeaderKills >= 2, report);
        foreach (var fault in new[] { "500", "429 with Retry-After", "requests delayed 5-105 ms", "watch cuts", "410 served as ERROR event", "410 served as HTTP status", "stalled watches", "connector crashes" })
            Assert.True(result.Faults.GetValueOrDefault(fault) > 0, $"no {fault} injected\n{report}");
        foreach (var operation in new[] { "create", "edit", "scale", "stop", "delete" })
            Assert.True(result.Operations.GetValueOrDefault(operation) > 0, $"no {operation} done\n{report}");
        Directory.Delete(logs, recursive: true);
    }
}
