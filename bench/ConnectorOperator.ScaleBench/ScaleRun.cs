using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;
using static ConnectorOperator.ScaleBench.ScaleObjects;

namespace ConnectorOperator.ScaleBench;

/// <summary>
/// One scale run for N AgentConnectors: a fresh API server double, the simulated kubelet (concurrent starts and
/// probes, retries) with one fake-connector listener for every pod, and the operator as its own process with
/// production defaults. The AgentConnectors are created at once; the run times each one to Online, counts the
/// operator's API requests (its own client metrics), watches a quiet steady state, then times three reactions and a
/// restart.
/// </summary>
internal static class ScaleRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan WavePoll = TimeSpan.FromMilliseconds(250);

    public static async Task<ScaleResult> RunAsync(int n, ScaleOptions options, TextWriter progress)
    {
        Directory.CreateDirectory(options.LogDirectory);
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { PodsTerminateImmediately = false });
        server.CreateObject(CrdGenerator.Generate(AgentConnectorCrd.Definition));
        server.CreateObject(NamespaceObject());
        var kubeconfig = server.WriteKubeconfig(Path.Combine(options.LogDirectory, "operator.kubeconfig"), server.AdminToken);
        await using var fleet = await FakeConnectorFleet.StartAsync();
        // Probes at the pods' own periods, as a kubelet runs them: probing every pod on every sync would be the harness measuring itself.
        await using var kubelet = new SimulatedKubelet(server, new SimulatedKubeletOptions { StartContainer = fleet.StartContainerAsync, ProbePeriodScale = 1 });
        kubelet.Start();
        for (var i = 0; i < n; i++) server.CreateObject(CredentialsSecret(Name(i)));

        string[] arguments =
        [
            $"--Kubernetes:KubeconfigPath={kubeconfig}",
            $"--Host:LeaseNamespace={Namespace}",
            $"--Operator:ConnectorPort={fleet.Port}",
            "--Logging:LogLevel:Default=Warning",
        ];
        var operatorProcess = OperatorUnderTest.Start(options.OperatorAssembly, $"scale-{n}", arguments, options.LogDirectory);
        var log = operatorProcess.LogPath;
        var result = new ScaleResult { N = n, LoadAverageBefore = LoadAverage() };
        try
        {
            await operatorProcess.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            await Until(() => LeaseHolder(server) is not null, TimeSpan.FromSeconds(60), "the operator holds its Lease");
            var before = await operatorProcess.ScrapeAsync();
            var cpuBefore = operatorProcess.Sample().CpuSeconds;

            // The wave: every AgentConnector at once, as `kubectl apply -f` of a directory would.
            var wave = Stopwatch.StartNew();
            var created = new TimeSpan[n];
            for (var i = 0; i < n; i++)
            {
                server.CreateObject(Connector(Name(i)));
                created[i] = wave.Elapsed;
            }
            result.CreatedSeconds = wave.Elapsed.TotalSeconds;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale {n}: {n} AgentConnectors created in {result.CreatedSeconds:F1} s"));
            var online = new TimeSpan?[n];
            var left = n;
            var nextReport = TimeSpan.FromSeconds(10);
            while (left > 0 && wave.Elapsed < options.OnlineLimit)
            {
                foreach (var connector in server.ListObjects(ApiVersion, Kind, Namespace))
                {
                    var index = int.Parse(connector["metadata"]!["name"]!.GetValue<string>()["bot-".Length..], CultureInfo.InvariantCulture);
                    if (online[index] is null && ScaleObjects.Online(connector))
                    {
                        online[index] = wave.Elapsed;
                        left--;
                    }
                }
                if (wave.Elapsed >= nextReport)
                {
                    progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scale {n}: {wave.Elapsed.TotalSeconds:F0} s, {n - left} Online"));
                    nextReport += TimeSpan.FromSeconds(10);
                }
                // Each look copies every AgentConnector out of the double: often enough to time them, not so often that the bench costs the operator its CPU.
                if (left > 0) await Task.Delay(WavePoll);
            }
            // A run that hits the limit still reports: the times of the stragglers count as the limit (lower bounds).
            result.Online = n - left;
            result.Complete = left == 0;
            if (left > 0) progress.WriteLine($"scale {n}: {left} AgentConnectors not Online after {options.OnlineLimit}; figures are lower bounds (see {log})");
            var toOnline = online.Select((t, i) => ((t ?? wave.Elapsed) - created[i]).TotalSeconds).Order().ToArray();
            result.AllOnlineSeconds = wave.Elapsed.TotalSeconds;
            result.P50Seconds = Percentile(toOnline, 0.50);
            result.P99Seconds = Percentile(toOnline, 0.99);

            var atOnline = await operatorProcess.ScrapeAsync();
            result.WritesToOnline = atOnline.WritesSince(before, withoutLeases: true);
            result.ReadsToOnline = atOnline.ReadsSince(before);
            result.WritesPerConnector = result.WritesToOnline.Values.Sum() / n;
            result.CpuSecondsToOnline = operatorProcess.Sample().CpuSeconds - cpuBefore;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scale {n}: all Online in {result.AllOnlineSeconds:F1} s; {result.WritesPerConnector:F2} writes per AgentConnector; steady state for {options.Steady.TotalSeconds:F0} s"));

            var steadyFrom = atOnline;
            var cpuSteady = operatorProcess.Sample().CpuSeconds;
            await Task.Delay(options.Steady);
            var steadyTo = await operatorProcess.ScrapeAsync();
            var sample = operatorProcess.Sample();
            var steadyWrites = steadyTo.WritesSince(steadyFrom, withoutLeases: true);
            result.SteadyWrites = steadyWrites.Values.Sum();
            result.SteadyWritesByVerb = steadyWrites;
            result.SteadyLeaseWrites = steadyTo.WritesSince(steadyFrom, withoutLeases: false).Values.Sum() - result.SteadyWrites;
            result.StatusPollsPerSecond = (steadyTo.StatusPolls - steadyFrom.StatusPolls) / options.Steady.TotalSeconds;
            result.SteadyCpuPercent = 100 * (sample.CpuSeconds - cpuSteady) / options.Steady.TotalSeconds;
            result.OperatorRssMb = sample.RssMb;
            result.GcHeapMb = steadyTo.GcHeapBytes / (1024 * 1024);
            result.FileDescriptors = sample.FileDescriptors;
            result.FdsPerPod = (double)sample.FileDescriptors / (n * PodsPerConnector);
            result.CachedPods = server.ListObjects("v1", "Pod", Namespace).Count;

            if (!result.Complete) return result;
            result.ConfigEditToObservedSeconds = await ConfigEditAsync(server, Name(0), rollout: false);
            result.ConfigEditToRolledOutSeconds = await ConfigEditAsync(server, Name(0), rollout: true);
            result.PodDeletedToReplacementSeconds = await PodDeletedAsync(server, Name(Math.Min(1, n - 1)));
            result.LoadToPodRequestedSeconds = await LoadCrossesThresholdAsync(server, fleet, Name(Math.Min(2, n - 1)));

            // A restart with everything in place and the Lease released by the old process's graceful stop.
            await operatorProcess.DisposeAsync();
            var restarted = Stopwatch.StartNew();
            operatorProcess = OperatorUnderTest.Start(options.OperatorAssembly, $"scale-{n}-restart", arguments, options.LogDirectory);
            await operatorProcess.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            while ((await operatorProcess.ScrapeAsync()).Reconciles == 0 && restarted.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(Poll);
            result.StartToFirstReconcileSeconds = restarted.Elapsed.TotalSeconds;
            result.LoadAverageAfter = LoadAverage();
            return result;
        }
        finally
        {
            await operatorProcess.DisposeAsync();
        }
    }

    /// <summary>An edit of the custom configuration: time until the status reports the new generation, or until every connector runs it.</summary>
    private static async Task<double> ConfigEditAsync(ApiServerDouble server, string name, bool rollout)
    {
        var delay = rollout ? "700" : "600";
        var edited = server.ModifyObject(ApiVersion, Kind, Namespace, name, c =>
        {
            c["spec"]!["customConfiguration"] = new JsonObject { ["messageDelay"] = delay };
            return c;
        });
        var generation = Number(edited["metadata"]!["generation"]);
        var watch = Stopwatch.StartNew();
        await Until(() =>
        {
            var status = server.GetObject(ApiVersion, Kind, Namespace, name)?["status"];
            if (Number(status?["observedGeneration"]) != generation) return false;
            return !rollout || (Number(status?["updatedReplicas"]) == PodsPerConnector && Number(status?["readyReplicas"]) == PodsPerConnector
                && status?["state"]?.GetValue<string>() == "Online");
        }, TimeSpan.FromSeconds(120), rollout ? "the edit is rolled out" : "the edit is observed");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>A connector pod deleted from under the operator: time until its replacement exists.</summary>
    private static async Task<double> PodDeletedAsync(ApiServerDouble server, string name)
    {
        var victim = Pods(server, name).First(p => p["metadata"]?["deletionTimestamp"] is null);
        var victimName = victim["metadata"]!["name"]!.GetValue<string>();
        var watch = Stopwatch.StartNew();
        server.DeleteObject("v1", "Pod", Namespace, victimName);
        await Until(() => Pods(server, name).Count(p => p["metadata"]?["deletionTimestamp"] is null && p["metadata"]!["name"]!.GetValue<string>() != victimName) >= PodsPerConnector,
            TimeSpan.FromSeconds(60), "the deleted pod is replaced");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Both connectors full with conversations waiting: time until the operator asks for a third pod.</summary>
    private static async Task<double> LoadCrossesThresholdAsync(ApiServerDouble server, FakeConnectorFleet fleet, string name)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 1; i <= 3; i++)
        {
            var behaviour = fleet.For(AgentUser(name, i));
            behaviour.ActiveConversations = behaviour.Capacity;
            behaviour.WaitingConversations = 20;
        }
        await Until(() => Pods(server, name).Count(p => p["metadata"]?["deletionTimestamp"] is null) > PodsPerConnector,
            TimeSpan.FromSeconds(60), "a third pod is requested");
        return watch.Elapsed.TotalSeconds;
    }

    private static IReadOnlyList<JsonObject> Pods(ApiServerDouble server, string connector) =>
        server.ListObjects("v1", "Pod", Namespace, $"connectoroperator.dev/agent-connector={connector}");

    private static string? LeaseHolder(ApiServerDouble server) =>
        server.ListObjects("coordination.k8s.io/v1", "Lease", Namespace).Select(l => l["spec"]?["holderIdentity"]?.GetValue<string>()).FirstOrDefault(h => !string.IsNullOrEmpty(h));

    private static async Task Until(Func<bool> condition, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"timed out after {limit} waiting until {what}");
            await Task.Delay(Poll);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
