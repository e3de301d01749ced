using System.Diagnostics;
using System.Globalization;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Faults;
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
        var monitor = new InvariantMonitor(TimeProvider.System);
        var driver = new ChaosDriver(server, options.Connectors, random);
        var faults = new Dictionary<string, int>();

        driver.CreateAll();
        progress.WriteLine($"chaos: {options.Connectors} AgentConnectors created; waiting for them to converge (at most {options.WarmUpLimit.TotalSeconds:F0} s)");
        var warm = await ConvergeAsync(server, monitor, operators, options.WarmUpLimit, progress, cancellationToken);
        progress.WriteLine(warm is null
            ? $"chaos: warm-up did not converge: {string.Join("; ", InvariantMonitor.NotConverged(server).Take(5))}"
            : $"chaos: converged in {warm.Value.TotalSeconds:F1} s; {options.FaultPhase.TotalSeconds:F0} s of faults start");

        var errors = server.Faults.FailRequests(options.ErrorRate / 2, 500);
        // The second rule sees only what the first let through: its share is raised so the two fail ErrorRate in all.
        var throttles = server.Faults.FailRequests(options.ErrorRate / 2 / (1 - (options.ErrorRate / 2)), 429, retryAfterSeconds: 1);
        server.Faults.Latency = TimeSpan.FromMilliseconds(5);
        server.Faults.LatencyJitter = TimeSpan.FromMilliseconds(100);
        var phase = Stopwatch.StartNew();
        var nextDisruption = options.DisruptionInterval;
        var nextCheck = TimeSpan.Zero;
        var nextReport = TimeSpan.FromSeconds(15);
        var stallEnds = (TimeSpan?)null;
        var streamsHit = 0;
        var turn = 0;
        while (phase.Elapsed < options.FaultPhase)
        {
            driver.Step();
            if (phase.Elapsed >= nextCheck)
            {
                monitor.Check(server);
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
                var (fault, hit) = Disrupt(turn++, server, fleet, disruptions);
                if (fault == "stalled watches") stallEnds = phase.Elapsed + TimeSpan.FromSeconds(1 + disruptions.Next(4));
                if (hit > 0) faults[fault] = faults.GetValueOrDefault(fault) + 1;
                if (fault != "connector crashes") streamsHit += hit;
                nextDisruption = phase.Elapsed + options.DisruptionInterval;
            }
            // Each leader gets to lead for the interval first, so the run is not spent mostly waiting for takeovers.
            if (operators.LeadingFor(DateTimeOffset.UtcNow) >= options.KillInterval) operators.KillLeader();
            if (phase.Elapsed >= nextReport)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"chaos: {phase.Elapsed.TotalSeconds:F0} s, violations {monitor.DuplicateAgentUserPods}/{monitor.PodsAboveDesired}/{monitor.OrphanPods}, crashes {operators.Crashes}, leader kills {operators.LeaderKills}"));
                nextReport += TimeSpan.FromSeconds(15);
            }
            await Task.Delay(options.OperationInterval, cancellationToken);
        }
        faults["500"] = errors.Fired;
        faults["429 with Retry-After"] = throttles.Fired;
        faults["watch streams cut, ended or stalled"] = streamsHit;
        faults["410 served as ERROR event"] = server.Faults.GoneServed(WatchGoneStyle.ErrorEvent);
        faults["410 served as HTTP status"] = server.Faults.GoneServed(WatchGoneStyle.HttpStatus);
        faults["requests delayed 5-105 ms"] = (int)server.Faults.DelayedRequests;
        server.Faults.Reset();

        progress.WriteLine($"chaos: faults stopped; every AgentConnector must converge within {options.ConvergenceLimit.TotalSeconds:F0} s");
        var converged = await ConvergeAsync(server, monitor, operators, options.ConvergenceLimit, progress, cancellationToken);
        var notConverged = converged is null ? InvariantMonitor.NotConverged(server) : [];
        monitor.Check(server);
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

    /// <summary>
    /// The disruptions in turn, so even a short run has each of them several times; connector crashes come twice
    /// a round. Returns what it was and how many watches or connectors it hit.
    /// </summary>
    private static (string Fault, int Hit) Disrupt(int turn, ApiServerDouble server, FakeConnectorFleet fleet, Random random)
    {
        switch (turn % 6)
        {
            case 0:
                return ("watch cuts", server.Faults.CutWatches());
            case 1 or 4:
                // Every watch ends; the next two re-watches are told their resourceVersion is too old, one way or the other.
                var style = turn % 6 == 1 ? WatchGoneStyle.ErrorEvent : WatchGoneStyle.HttpStatus;
                server.Faults.ForceWatchGone(style, count: 2);
                return (style == WatchGoneStyle.ErrorEvent ? "410 ERROR event episodes" : "410 HTTP status episodes", server.Faults.EndWatches());
            case 3:
                server.Faults.WatchesStalled = true;
                return ("stalled watches", server.Faults.OpenWatchCount);
            default:
                var running = fleet.Running.ToList();
                if (running.Count == 0) return ("connector crashes", 0);
                running[random.Next(running.Count)].Crash(exitCode: 137);
                return ("connector crashes", 1);
        }
    }

    /// <summary>Checks invariants until every AgentConnector has converged (returns how long it took) or the limit passes (null).</summary>
    private static async Task<TimeSpan?> ConvergeAsync(ApiServerDouble server, InvariantMonitor monitor, OperatorReplicas operators, TimeSpan limit, TextWriter progress, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(10);
        while (waited.Elapsed < limit)
        {
            monitor.Check(server);
            operators.Tend();
            var problems = InvariantMonitor.NotConverged(server);
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
