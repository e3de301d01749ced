using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Hosting;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Dev;

/// <summary>
/// The local development cluster, all in this process except the connectors: the API server double (TLS, RBAC and
/// CEL rules on; the AgentConnector CRD, config/rbac and config/policy installed), a process kubelet that runs the
/// built connector for the connector image, the Conversational Cloud simulator, and the operator itself against
/// them under its ServiceAccount token. Disposing it stops everything in reverse order; no connector process
/// outlives it.
/// </summary>
public sealed class LocalDevCluster : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _owned;

    private readonly WebApplication? _operator;

    private LocalDevCluster(Stack<IAsyncDisposable> owned, ApiServerDouble api, ProcessKubelet kubelet, ConversationalCloudSimulator simulator, WebApplication? @operator,
        IReadOnlyList<string> operatorArguments)
    {
        _owned = owned;
        Api = api;
        Kubelet = kubelet;
        Simulator = simulator;
        _operator = @operator;
        OperatorArguments = operatorArguments;
    }

    public ApiServerDouble Api { get; }

    public ProcessKubelet Kubelet { get; }

    public ConversationalCloudSimulator Simulator { get; }

    /// <summary>The operator running in this process; only with <see cref="LocalDevClusterOptions.EmbeddedOperator"/>.</summary>
    public WebApplication Operator => _operator ?? throw new InvalidOperationException("this local cluster's operator runs outside it (EmbeddedOperator is false)");

    /// <summary>The operator's configuration against this cluster, for <c>connector-operator run</c> processes when it is not embedded.</summary>
    public IReadOnlyList<string> OperatorArguments { get; }

    public static async Task<LocalDevCluster> StartAsync(LocalDevClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.ConnectorAssembly))
        {
            throw new FileNotFoundException($"the connector is not built: {options.ConnectorAssembly} is missing (dotnet build src/ConnectorOperator.Connector)", options.ConnectorAssembly);
        }
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var owned = new Stack<IAsyncDisposable>();
        try
        {
            var repository = RepositoryLayout.Find(Path.GetDirectoryName(options.ConnectorAssembly))
                ?? throw new InvalidOperationException($"{options.ConnectorAssembly} is not inside the repository, whose tools/cel and config/rbac the local cluster uses");
            var cel = new NodeCelEvaluator(new NodeCelEvaluatorOptions { ToolDirectory = Path.Combine(repository.Root, "tools", "cel") });
            owned.Push(new DisposeAction(cel.Dispose));
            var api = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true, Authorization = AuthorizationMode.Rbac, CelEvaluator = cel, PodsTerminateImmediately = false }, cancellationToken);
            owned.Push(api);
            if (options.KubeconfigPath is { } kubeconfig)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(kubeconfig))!);
                api.WriteKubeconfig(kubeconfig);
            }
            api.CreateObject(CrdGenerator.Generate(AgentConnectorCrd.Definition));
            var operatorToken = ShippedRbac.Install(api, repository.Root);

            var simulator = await ConversationalCloudSimulator.StartAsync(options.Simulator ?? DemoResources.Simulator(), cancellationToken);
            owned.Push(simulator);

            var connector = new ContainerCommand("dotnet", [options.ConnectorAssembly], AddressVariable: Contracts.ConnectorEnvironment.HttpAddress,
                ParentPipeVariable: Contracts.ConnectorEnvironment.StopWhenStdinCloses);
            var kubeletOptions = new ProcessKubeletOptions
            {
                LogDirectory = options.LogDirectory,
                ProbePeriodScale = options.ProbePeriodScale,
                Addresses = new PodAddresses(options.PodSubnet),
                BackOffInitial = options.BackOffInitial,
            };
            kubeletOptions.Images.Add(LocalDevClusterOptions.ConnectorImage, connector);
            // Resources that name no image get the operator's default; one that names the published image runs the local build too.
            kubeletOptions.Images.Add(ImageMap.Repository(new Reconciliation.OperatorSettings().DefaultImage), connector);
            var kubelet = new ProcessKubelet(api, kubeletOptions, loggers.CreateLogger<ProcessKubelet>());
            owned.Push(kubelet);
            kubelet.Start();

            string[] operatorArguments =
            [
                "--Host:HealthAddress=http://127.0.0.1:0",
                "--Host:LeaderElection=true",
                $"--Operator:CsdsDomain={simulator.CsdsAddress.GetLeftPart(UriPartial.Authority)}",
                $"--Operator:DefaultImage={LocalDevClusterOptions.ConnectorImage}",
                $"--Operator:ConnectorPort={FreePort()}",
                $"--Operator:DrainSeconds={options.DrainSeconds}",
                "--Operator:StatusPollInterval=00:00:02",
                "--Logging:LogLevel:Default=Warning",
                $"--Kubernetes:KubeconfigPath={api.WriteKubeconfig(Path.Combine(options.LogDirectory, "operator.kubeconfig"), operatorToken)}",
                $"--Host:LeaseNamespace={ShippedRbac.OperatorNamespace}",
                .. options.OperatorArguments,
            ];
            if (!options.EmbeddedOperator) return new LocalDevCluster(owned, api, kubelet, simulator, null, operatorArguments);
            var @operator = OperatorApp.Build(operatorArguments, configureServices: services => services.AddSingleton<IHostLifetime, EmbeddedLifetime>());
            owned.Push(new DisposeAction(async () =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await @operator.StopAsync(timeout.Token);
                await @operator.DisposeAsync();
            }));
            await @operator.StartAsync(cancellationToken);
            return new LocalDevCluster(owned, api, kubelet, simulator, @operator, operatorArguments);
        }
        catch
        {
            await DisposeAllAsync(owned);
            throw;
        }
    }

    /// <summary>Creates the demo's Secrets and AgentConnector (made from the simulator's account), adjusted before the create if asked.</summary>
    public void ApplyDemo(Action<JsonObject>? adjust = null)
    {
        foreach (var secret in DemoResources.Secrets(Simulator.Options)) Api.CreateObject(secret);
        var connector = DemoResources.AgentConnector(Simulator.Options, Simulator.BotAddress);
        adjust?.Invoke(connector);
        Api.CreateObject(connector);
    }

    public JsonObject? GetAgentConnector(string @namespace = DemoResources.Namespace, string name = DemoResources.Name) =>
        Api.GetObject(AgentConnector.Resource.ApiVersion, AgentConnector.KindName, @namespace, name);

    /// <summary>A port free on loopback now, for the connectors' health port (each connector binds it on its own address).</summary>
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await DisposeAllAsync(_owned);

    private static async Task DisposeAllAsync(Stack<IAsyncDisposable> owned)
    {
        List<Exception>? errors = null;
        while (owned.TryPop(out var next))
        {
            try
            {
                await next.DisposeAsync();
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }
        if (errors is not null) throw new AggregateException("stopping the local cluster failed", errors);
    }

    private sealed class DisposeAction : IAsyncDisposable
    {
        private readonly Func<ValueTask> _dispose;

        public DisposeAction(Action dispose) => _dispose = () =>
        {
            dispose();
            return ValueTask.CompletedTask;
        };

        public DisposeAction(Func<Task> dispose) => _dispose = async () => await dispose();

        public ValueTask DisposeAsync() => _dispose();
    }
}
