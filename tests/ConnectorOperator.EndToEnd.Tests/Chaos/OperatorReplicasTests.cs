using System.Diagnostics;
using ConnectorOperator.Chaos;
using ConnectorOperator.LocalCluster;

namespace ConnectorOperator.EndToEnd.Tests.Chaos;

/// <summary>The chaos run's operator crash count: an operator process that exits without being told to is a crash, and is replaced.</summary>
public sealed class OperatorReplicasTests
{
    [Fact]
    public async Task An_operator_process_that_exits_by_itself_is_counted_as_a_crash_and_replaced()
    {
        var logs = Path.Combine(Path.GetTempPath(), "connector-operator-chaos-tests", Guid.NewGuid().ToString("N"));
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions());
        var operatorAssembly = Path.Combine(AppContext.BaseDirectory, "connector-operator.dll");
        // The real operator, pointed at a kubeconfig that does not exist: it fails at start and exits.
        await using var operators = new OperatorReplicas(server, operatorAssembly,
            ["--Kubernetes:KubeconfigPath=" + Path.Combine(logs, "missing.kubeconfig"), "--Host:HealthAddress=http://127.0.0.1:0"], logs, "default", "lease", replicas: 1);
        operators.Start();

        var waited = Stopwatch.StartNew();
        while (operators.Crashes < 2 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            operators.Tend();
            await Task.Delay(100);
        }

        Assert.True(operators.Crashes >= 2, $"crashes {operators.Crashes} after {waited.Elapsed}");
        Assert.Contains("chaos-operator-1 exited with", operators.CrashLogs[0], StringComparison.Ordinal);
        Assert.Equal(0, operators.LeaderKills);
    }
}
