using System.Diagnostics;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.Chaos;

/// <summary>
/// The smaller chaos run with real connector processes: the local cluster of <c>make run</c> (API server double,
/// process kubelet, Conversational Cloud simulator) with its operator as two <c>connector-operator run</c>
/// processes, one AgentConnector of <see cref="ChaosOptions.RealConnectors"/> connectors and simulated consumers
/// chatting with its bot. Under the same API and watch faults and leader kills, connector processes are SIGKILLed
/// and the AgentConnector is edited, scaled and has agent users stopped and started. On top of the pod
/// invariants it counts conversations lost (a consumer message left without a bot answer or an escalation) and
/// session conflicts (an agent user's live session revoked by a second login of it).
/// </summary>
internal static class ConversationChaosRun
{
    public static async Task<ChaosResult> RunAsync(ChaosOptions options, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var elapsed = Stopwatch.StartNew();
        var layout = RepositoryLayout.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("run from inside the repository");
        var operatorAssembly = Path.Combine(AppContext.BaseDirectory, "connector-operator.dll");
        Directory.CreateDirectory(options.LogDirectory);
        var replicas = options.RealConnectors;
        await using var cluster = await LocalDevCluster.StartAsync(new LocalDevClusterOptions
        {
            ConnectorAssembly = layout.ConnectorAssembly(RepositoryLayout.Configuration),
            LogDirectory = options.LogDirectory,
            PodSubnet = (byte)Random.Shared.Next(100, 250),
            ProbePeriodScale = 0.2,
            DrainSeconds = 2,
            BackOffInitial = TimeSpan.FromSeconds(1),
            EmbeddedOperator = false,
            // Two spare agent users: a rollout's extra connector and a stopped agent user still leave enough.
            Simulator = DemoResources.Simulator(botUsers: replicas + 2),
        }, cancellationToken);
        await using var operators = new OperatorReplicas(cluster.Api, operatorAssembly, [.. cluster.OperatorArguments, .. options.OperatorArguments],
            options.LogDirectory, ShippedRbac.OperatorNamespace, new OperatorOptions().LeaseName);
        operators.Start();
        cluster.ApplyDemo(connector =>
        {
            // A fixed size rather than the demo's autoscaling, so the invariants know the desired count.
            var spec = connector["spec"]!.AsObject();
            spec.Remove("scaling");
            spec["replicas"] = replicas;
        });

        var view = new ClusterView(cluster.Api, DemoResources.Namespace);
        var monitor = new InvariantMonitor(TimeProvider.System);
        var random = new Random(options.Seed);
        var faults = new ApiFaults(cluster.Api, random);
        var phase = new FaultPhase(options, view, monitor, operators, faults, progress);
        var driver = new RealConnectorsDriver(cluster.Api, DemoResources.Namespace, DemoResources.Name, replicas);
        progress.WriteLine($"chaos: {replicas} real connectors; waiting for them to converge (at most {options.WarmUpLimit.TotalSeconds:F0} s)");
        var warm = await phase.ConvergeAsync(options.WarmUpLimit, cancellationToken);
        progress.WriteLine(warm is null
            ? $"chaos: warm-up did not converge: {string.Join("; ", InvariantMonitor.NotConverged(view).Take(5))}"
            : $"chaos: converged in {warm.Value.TotalSeconds:F1} s; {options.Conversations} consumers and {options.FaultPhase.TotalSeconds:F0} s of faults start");

        var simulator = cluster.Simulator;
        var consumers = ConsumerDriver.RunAsync(simulator, new ConsumerDriverOptions
        {
            AccountId = DemoResources.Account(simulator.Options).Id,
            SkillId = DemoResources.BotSkill(simulator.Options),
            Conversations = options.Conversations,
            MessagesPerSecond = 0.1,
            OpenSpread = TimeSpan.FromSeconds(10),
            Duration = options.FaultPhase,
            // A message sent just before its connector was killed waits for the restart, the login and the bot.
            AnswerTimeout = TimeSpan.FromSeconds(30),
        }, cancellationToken);
        await phase.RunAsync(driver.Step, options.RealOperationInterval, () => KillOne(cluster, random), "connector kills", cancellationToken);

        progress.WriteLine($"chaos: faults stopped; the AgentConnector must converge within {options.ConvergenceLimit.TotalSeconds:F0} s, every consumer message be answered within 30 s");
        var converged = await phase.ConvergeAsync(options.ConvergenceLimit, cancellationToken);
        var notConverged = converged is null ? InvariantMonitor.NotConverged(view) : [];
        var report = await consumers;
        monitor.Check(view);
        operators.Tend();
        var conflicts = simulator.GetState().SessionConflicts;
        // A revoked session without a socket belonged to a killed connector (its restart logged in again): no two connectors at once.
        var liveConflicts = conflicts.Where(c => c.RevokedHadSocket).ToList();
        faults.Counts["session re-logins after a kill"] = conflicts.Count - liveConflicts.Count;
        return new ChaosResult
        {
            Connectors = 1,
            RealConnectors = replicas,
            FaultPhase = options.FaultPhase,
            DuplicateAgentUserPods = monitor.DuplicateAgentUserPods,
            PodsAboveDesired = monitor.PodsAboveDesired,
            OrphanPods = monitor.OrphanPods,
            NotConverged = notConverged.Count,
            OperatorCrashes = operators.Crashes,
            ConversationsLost = report.UnansweredConversationIds.Count,
            SessionConflicts = liveConflicts.Count,
            Conversations = report,
            ConvergedAfterSeconds = converged?.TotalSeconds,
            LeaderKills = operators.LeaderKills,
            Checks = monitor.Checks,
            Operations = driver.Operations,
            Faults = faults.Counts,
            Examples =
            [
                .. monitor.Examples, .. notConverged.Take(10), .. operators.CrashLogs,
                .. report.UnansweredConversationIds.Take(10).Select(id => $"conversation {id}: a consumer message got no answer and no escalation"),
                .. liveConflicts.Take(10).Select(c => $"agent user {c.LoginName}: live session {c.RevokedSessionId} revoked by {c.NewSessionId} at {c.At:O}"),
            ],
            Elapsed = elapsed.Elapsed,
        };
    }

    /// <summary>SIGKILLs one connector process (no drain, no logout); its pod's container restarts.</summary>
    private static int KillOne(LocalDevCluster cluster, Random random)
    {
        var running = cluster.Kubelet.RunningProcesses.Values.ToList();
        if (running.Count == 0) return 0;
        try
        {
            using var process = Process.GetProcessById(running[random.Next(running.Count)]);
            process.Kill();
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return 0; // Exited meanwhile.
        }
    }
}
