using ConnectorOperator.Hosting;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.LocalCluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Dev;

/// <summary>
/// What <c>make run</c> does: with a cluster configured the way kubectl finds one, run the operator against it;
/// with none, start the local development cluster, the demo bot and simulated consumers.
/// </summary>
internal sealed class Launcher(TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(string[] operatorArguments, bool forceLocal, bool traffic, CancellationToken stop)
    {
        try
        {
            if (!forceLocal && ClusterConfigured(SystemEnvironment.Instance))
            {
                return await RunOperatorAsync(operatorArguments, stop);
            }
            return await RunLocalAsync(operatorArguments, traffic, stop);
        }
        catch (KubeconfigException e)
        {
            await error.WriteLineAsync($"connector-operator-dev: {e.Message}");
            return 2;
        }
        catch (FileNotFoundException e)
        {
            await error.WriteLineAsync($"connector-operator-dev: {e.Message}");
            return 2;
        }
    }

    /// <summary>In-cluster, KUBECONFIG or ~/.kube/config: a configured cluster, even a broken one (that is an error, not a reason to go local).</summary>
    internal static bool ClusterConfigured(IEnvironment env)
    {
        if (!string.IsNullOrWhiteSpace(env.GetVariable(ClusterConnectionDiscovery.KubeconfigVariable))) return true;
        if (!string.IsNullOrWhiteSpace(env.GetVariable("KUBERNETES_SERVICE_HOST"))) return true;
        return env.HomeDirectory is { Length: > 0 } home && env.FileExists(Path.Combine(home, ".kube", "config"));
    }

    private async Task<int> RunOperatorAsync(string[] operatorArguments, CancellationToken stop)
    {
        var connection = ClusterConnectionDiscovery.Discover();
        await output.WriteLineAsync($"Cluster configured ({connection.Source}): running the operator against {connection.Server}. Ctrl-C stops it.");
        await using var app = OperatorApp.Build(operatorArguments, connection, services => services.AddSingleton<IHostLifetime, EmbeddedLifetime>());
        await app.StartAsync(stop);
        await output.WriteLineAsync($"Operator metrics {OperatorApp.MetricsUrl(app)}  (Prometheus text; /healthz and /readyz beside it)");
        await WaitAsync(stop);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StopAsync(timeout.Token);
        return 0;
    }

    private async Task<int> RunLocalAsync(string[] operatorArguments, bool traffic, CancellationToken stop)
    {
        var layout = RepositoryLayout.Find()
            ?? throw new FileNotFoundException($"run this from the repository: no {RepositoryLayout.SolutionFile} above {Environment.CurrentDirectory}");
        await output.WriteLineAsync("No cluster configured (in-cluster, KUBECONFIG, ~/.kube/config): starting the local development cluster.");
        // Logs of an earlier run name the same pods; they would only confuse this one.
        if (Directory.Exists(layout.LogDirectory)) Directory.Delete(layout.LogDirectory, recursive: true);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).SetMinimumLevel(LogLevel.Warning));
        var cluster = await LocalDevCluster.StartAsync(new LocalDevClusterOptions
        {
            ConnectorAssembly = layout.ConnectorAssembly(RepositoryLayout.Configuration),
            KubeconfigPath = layout.KubeconfigPath,
            LogDirectory = layout.LogDirectory,
            OperatorArguments = operatorArguments,
            LoggerFactory = loggers,
        }, stop);
        try
        {
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, layout.KubeconfigPath);
            await output.WriteLineAsync($"API server      {cluster.Api.BaseAddress}  (kubeconfig: {layout.KubeconfigPath})");
            await output.WriteLineAsync($"Simulator       {cluster.Simulator.CsdsAddress}  (sample bot {cluster.Simulator.BotAddress})");
            await output.WriteLineAsync($"Connector logs  {layout.LogDirectory}");
            await output.WriteLineAsync($"Metrics         {OperatorApp.MetricsUrl(cluster.Operator)}  (operator; each connector serves /metrics on its /status port)");
            await output.WriteLineAsync($"Watch it:       kubectl --kubeconfig {relative} get agentconnectors -w");
            await output.WriteLineAsync($"                kubectl --kubeconfig {relative} get pods,events");

            cluster.ApplyDemo();
            await output.WriteLineAsync($"Applied AgentConnector {DemoResources.Namespace}/{DemoResources.Name} with agent users " +
                string.Join(", ", DemoResources.Account(cluster.Simulator.Options).Users.Where(u => u.IsBot).Select(u => u.LoginName)) + ". Ctrl-C stops everything.");

            var skill = DemoResources.BotSkill(cluster.Simulator.Options);
            var progress = new DemoProgress(cluster, output, skill).RunAsync(TimeSpan.FromSeconds(3), stop);
            if (traffic) _ = RunTrafficAsync(cluster, skill, stop);
            await progress;
        }
        finally
        {
            await output.WriteLineAsync("Stopping the operator, the connectors, the simulator and the API server...");
            await cluster.DisposeAsync();
            await output.WriteLineAsync($"Stopped; {cluster.Kubelet.RunningProcesses.Count} connector processes left.");
        }
        return 0;
    }

    private async Task RunTrafficAsync(LocalDevCluster cluster, string skill, CancellationToken stop)
    {
        var ramp = new TrafficRamp();
        try
        {
            // Let the first connector come online before the consumers arrive.
            await Task.Delay(TimeSpan.FromSeconds(10), stop);
            await output.WriteLineAsync($"Consumers: {ramp.Waves} waves of {ramp.ConversationsPerWave} conversations, {ramp.WaveInterval.TotalSeconds:0} s apart (peak {ramp.Peak}), each staying {ramp.Hold.TotalSeconds:0} s");
            var reports = await ramp.RunAsync(cluster.Simulator, DemoResources.Account(cluster.Simulator.Options).Id, skill, stop);
            await output.WriteLineAsync($"Consumers done: {reports.Sum(r => r.Conversations)} conversations, {reports.Sum(r => r.Answered)} answered by the bot, " +
                $"{reports.Sum(r => r.Lost)} never answered, {reports.Sum(r => r.MessagesSent)} messages. The cluster keeps running: Ctrl-C stops it.");
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task WaitAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }
}
