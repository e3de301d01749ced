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
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

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
        var monitor = new InvariantMonitor(server, TimeProvider.System);
        var driver = new ChaosDriver(server, options.Connectors, random);
        var faults = new Dictionary<string, int>();

        driver.CreateAll();
        progress.WriteLine($"chaos: {options.Connectors} AgentConnectors created; waiting for them to converge (at most {options.WarmUpLimit.TotalSeconds:F0} s)");
        var warm = await ConvergeAsync(monitor, operators, options.WarmUpLimit, cancellationToken);
        progress.WriteLine(warm is null
            ? $"chaos: warm-up did not converge: {string.Join("; ", monitor.NotConverged().Take(5))}"
            : $"chaos: converged in {warm.Value.TotalSeconds:F1} s; {options.FaultPhase.TotalSeconds:F0} s of faults start");

        var errors = server.Faults.FailRequests(options.ErrorRate / 2, 500);
        var throttles = server.Faults.FailRequests(options.ErrorRate / 2, 429, retryAfterSeconds: 1);
        server.Faults.Latency = TimeSpan.FromMilliseconds(5);
        server.Faults.LatencyJitter = TimeSpan.FromMilliseconds(100);
        var phase = Stopwatch.StartNew();
        var nextDisruption = options.DisruptionInterval;
        var nextKill = options.LeaderKillInterval;
        var nextCheck = TimeSpan.Zero;
        var nextReport = TimeSpan.FromSeconds(15);
        var stallEnds = (TimeSpan?)null;
        while (phase.Elapsed < options.FaultPhase)
        {
            driver.Step();
            if (phase.Elapsed >= nextCheck)
            {
                monitor.Check();
                operators.Tend();
                nextCheck = phase.Elapsed + CheckInterval;
            }
            if (stallEnds is { } ends && phase.Elapsed >= ends)
            {
                server.Faults.WatchesStalled = false;
                stallEnds = null;
            }
            if (phase.Elapsed >= nextDisruption)
            {
                var fault = Disrupt(server, fleet, disruptions);
                if (fault == "stalled watches") stallEnds = phase.Elapsed + TimeSpan.FromSeconds(1 + disruptions.Next(4));
                faults[fault] = faults.GetValueOrDefault(fault) + 1;
                nextDisruption = phase.Elapsed + options.DisruptionInterval;
            }
            if (phase.Elapsed >= nextKill)
            {
                operators.KillLeader();
                nextKill = phase.Elapsed + options.LeaderKillInterval;
            }
            if (phase.Elapsed >= nextReport)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"chaos: {phase.Elapsed.TotalSeconds:F0} s, violations {monitor.DuplicateAgentUserPods}/{monitor.PodsAboveDesired}/{monitor.OrphanPods}, crashes {operators.Crashes}, leader kills {operators.LeaderKills}"));
                nextReport += TimeSpan.FromSeconds(15);
            }
            await Task.Delay(options.OperationInterval, cancellationToken);
        }
        faults["500"] = errors.Fired;
        faults["429"] = throttles.Fired;
        server.Faults.Reset();

        progress.WriteLine($"chaos: faults stopped; every AgentConnector must converge within {options.ConvergenceLimit.TotalSeconds:F0} s");
        var converged = await ConvergeAsync(monitor, operators, options.ConvergenceLimit, cancellationToken);
        var notConverged = converged is null ? monitor.NotConverged() : [];
        monitor.Check();
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
            Faults = faults,
            Examples = [.. monitor.Examples, .. notConverged.Take(10), .. operators.CrashLogs],
            Elapsed = elapsed.Elapsed,
        };
    }

    /// <summary>One disruption, chosen at random.</summary>
    private static string Disrupt(ApiServerDouble server, FakeConnectorFleet fleet, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                server.Faults.CutWatches();
                return "watch cuts";
            case 1:
                server.Faults.ForceWatchGone(random.Next(2) == 0 ? LocalCluster.Faults.WatchGoneStyle.ErrorEvent : LocalCluster.Faults.WatchGoneStyle.HttpStatus, count: 2);
                server.Faults.EndWatches();
                return "410 Gone";
            case 2:
                server.Faults.WatchesStalled = true;
                return "stalled watches";
            default:
                var running = fleet.Running.ToList();
                if (running.Count == 0) return "connector crashes";
                running[random.Next(running.Count)].Crash(exitCode: 137);
                return "connector crashes";
        }
    }

    /// <summary>Checks invariants until every AgentConnector has converged (returns how long it took) or the limit passes (null).</summary>
    private static async Task<TimeSpan?> ConvergeAsync(InvariantMonitor monitor, OperatorReplicas operators, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            monitor.Check();
            operators.Tend();
            if (monitor.NotConverged().Count == 0) return waited.Elapsed;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        return null;
    }
}
