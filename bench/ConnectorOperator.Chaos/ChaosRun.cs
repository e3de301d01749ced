using System.Diagnostics;
using System.Globalization;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.Chaos;

/// <summary>
/// One chaos run: the API server double (RBAC on, the shipped RBAC applied), the simulated kubelet with the
/// fake-connector fleet, and two <c>connector-operator run</c> processes with leader election. AgentConnectors are
/// created and Online first; then, for the fault phase, they are driven at random while the API fails requests
/// (500, 429 with Retry-After), is slow and uneven, cuts watches, answers 410 and stalls watches, connectors crash
/// and the leading operator is SIGKILLed; invariants are checked throughout. After the faults stop, every
/// AgentConnector must converge within the limit.
/// </summary>
internal static class ChaosRun
{
    public static async Task<ChaosResult> RunAsync(ChaosOptions options, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var elapsed = Stopwatch.StartNew();
        var repository = RepositoryLayout.Find() ?? throw new InvalidOperationException($"run from inside the repository (no {RepositoryLayout.SolutionFile} found)");
        var operatorAssembly = Path.Combine(AppContext.BaseDirectory, "connector-operator.dll");
        if (!File.Exists(operatorAssembly)) throw new InvalidOperationException($"{operatorAssembly} is missing: build the chaos project (it references the operator)");
        Directory.CreateDirectory(options.LogDirectory);

        // The shipped ValidatingAdmissionPolicies and the CRD's rules need CEL (tools/cel: make tools).
        using var cel = new NodeCelEvaluator(new NodeCelEvaluatorOptions { ToolDirectory = Path.Combine(repository.Root, "tools", "cel") });
        await using var server = await ApiServerDouble.StartAsync(
            new ApiServerOptions { PodsTerminateImmediately = false, Authorization = AuthorizationMode.Rbac, CelEvaluator = cel }, cancellationToken);
        server.CreateObject(CrdGenerator.Generate(AgentConnectorCrd.Definition));
        server.CreateObject(ChaosObjects.NamespaceObject());
        var token = ShippedRbac.Install(server, repository.Root);
        var kubeconfig = server.WriteKubeconfig(Path.Combine(options.LogDirectory, "operator.kubeconfig"), token);
        await using var fleet = await FakeConnectorFleet.StartAsync(cancellationToken);
        await using var kubelet = new SimulatedKubelet(server, new SimulatedKubeletOptions
        {
            StartContainer = fleet.StartContainerAsync,
            SyncInterval = TimeSpan.FromMilliseconds(100),
            ProbePeriodScale = 0.2,
            TerminationDelay = TimeSpan.FromMilliseconds(300),
        });
        kubelet.Start();
        server.Faults.Random = new Random(options.Seed + 1);
        var random = new Random(options.Seed);
        var disruptions = new Random(options.Seed + 2);

        var hostDefaults = new OperatorOptions();
        string[] arguments =
        [
            $"--Kubernetes:KubeconfigPath={kubeconfig}",
            "--Host:HealthAddress=http://127.0.0.1:0",
            "--Host:LeaderElection=true",
            $"--Host:LeaseNamespace={ShippedRbac.OperatorNamespace}",
            $"--Operator:ConnectorPort={fleet.Port}",
            "--Logging:LogLevel:Default=Warning",
            .. options.OperatorArguments,
        ];
        await using var operators = new OperatorReplicas(server, operatorAssembly, arguments, options.LogDirectory, ShippedRbac.OperatorNamespace, hostDefaults.LeaseName);
        operators.Start();
        var cluster = new ClusterView(server, ChaosObjects.Namespace);
        var monitor = new InvariantMonitor(TimeProvider.System);
        var faults = new ApiFaults(server, disruptions);
        var phase = new FaultPhase(options, cluster, monitor, operators, faults, progress);
        var driver = new ChaosDriver(server, options.Connectors, random);

        driver.CreateAll();
        progress.WriteLine($"chaos: {options.Connectors} AgentConnectors created; waiting for them to converge (at most {options.WarmUpLimit.TotalSeconds:F0} s)");
        var warm = await phase.ConvergeAsync(options.WarmUpLimit, cancellationToken);
        progress.WriteLine(warm is null
            ? $"chaos: warm-up did not converge: {string.Join("; ", InvariantMonitor.NotConverged(cluster).Take(5))}"
            : $"chaos: converged in {warm.Value.TotalSeconds:F1} s; {options.FaultPhase.TotalSeconds:F0} s of faults start");

        await phase.RunAsync(driver.Step, options.OperationInterval, () => CrashOne(fleet, disruptions), "connector crashes", cancellationToken);

        progress.WriteLine($"chaos: faults stopped; every AgentConnector must converge within {options.ConvergenceLimit.TotalSeconds:F0} s");
        var converged = await phase.ConvergeAsync(options.ConvergenceLimit, cancellationToken);
        var notConverged = converged is null ? InvariantMonitor.NotConverged(cluster) : [];
        monitor.Check(cluster);
        operators.Tend();
        return new ChaosResult
        {
            Connectors = options.Connectors,
            FaultPhase = options.FaultPhase,
            DuplicateAgentUserPods = monitor.DuplicateAgentUserPods,
            PodsAboveDesired = monitor.PodsAboveDesired,
            OrphanPods = monitor.OrphanPods,
            NotConverged = notConverged.Count,
            OperatorCrashes = operators.Crashes,
            ConvergedAfterSeconds = converged?.TotalSeconds,
            LeaderKills = operators.LeaderKills,
            Checks = monitor.Checks,
            Operations = driver.Operations,
            Faults = faults.Counts,
            Examples = [.. monitor.Examples, .. notConverged.Take(10), .. operators.CrashLogs],
            Elapsed = elapsed.Elapsed,
        };
    }

    /// <summary>One fake connector exits as if killed (137); its pod's container restarts.</summary>
    private static int CrashOne(FakeConnectorFleet fleet, Random random)
    {
        var running = fleet.Running.ToList();
        if (running.Count == 0) return 0;
        running[random.Next(running.Count)].Crash(exitCode: 137);
        return 1;
    }
}
