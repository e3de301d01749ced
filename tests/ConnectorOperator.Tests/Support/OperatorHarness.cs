using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Serialization;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Reconciliation;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ConnectorOperator.Tests.Support;

/// <summary>
/// The operator host, unchanged, against the API server double with the generated CRD installed (CEL rules and
/// RBAC on, config/rbac and config/policy applied), a simulated kubelet and fake connectors. The operator runs
/// under its ServiceAccount token only; tests drive it through a real client as the cluster admin, as a user with
/// kubectl would.
/// </summary>
public sealed class OperatorHarness : IAsyncDisposable
{
    public const string Namespace = "bots";
    private static readonly Lazy<NodeCelEvaluator> Cel = new(() => new NodeCelEvaluator(new NodeCelEvaluatorOptions { ToolDirectory = RepositoryFiles.PathOf("tools/cel") }));
    private readonly string _operatorKubeconfig;
    private readonly bool _leaderElection;
    private WebApplication? _operator;

    private OperatorHarness(ApiServerDouble server, SimulatedKubelet kubelet, FakeConnectorFleet fleet, KubernetesClient client, string operatorKubeconfig, string operatorToken, bool leaderElection)
    {
        _operatorKubeconfig = operatorKubeconfig;
        OperatorToken = operatorToken;
        _leaderElection = leaderElection;
        Server = server;
        Kubelet = kubelet;
        Connectors = fleet;
        Client = client;
    }

    public ApiServerDouble Server { get; }
    public SimulatedKubelet Kubelet { get; }
    public FakeConnectorFleet Connectors { get; }
    public KubernetesClient Client { get; }

    /// <summary>The kubeconfig the operator connects with: its ServiceAccount token, bound by the shipped RBAC.</summary>
    public string OperatorKubeconfig => _operatorKubeconfig;

    /// <summary>The operator's ServiceAccount token (the one in <see cref="OperatorKubeconfig"/>).</summary>
    public string OperatorToken { get; }

    /// <summary>Raw HTTP to the API server as the cluster admin (the server has RBAC on; anonymous requests get 403).</summary>
    public HttpClient AdminHttp()
    {
        var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.AdminToken);
        return http;
    }

    /// <summary>Per agent user: how its container behaves (default: runs).</summary>
    public Dictionary<string, ContainerBehaviour> ContainerBehaviours { get; } = [];

    /// <param name="leaderElection">Run the operator with leader election (its Lease in the operator's namespace).</param>
    public static async Task<OperatorHarness> StartAsync(bool startOperator = true, bool leaderElection = false, string[]? operatorArguments = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var server = await ApiServerDouble.StartAsync(new ApiServerOptions { PodsTerminateImmediately = false, CelEvaluator = Cel.Value, Authorization = AuthorizationMode.Rbac });
        server.CreateObject(CrdGenerator.Generate(AgentConnectorCrd.Definition));
        server.CreateObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } });
        var operatorToken = ShippedRbac.Install(server, RepositoryFiles.Root);
        var operatorKubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"operator-kubeconfig-{Guid.NewGuid():N}"), operatorToken);
        var fleet = await FakeConnectorFleet.StartAsync();
        OperatorHarness? harness = null;
        var kubelet = new SimulatedKubelet(server, new SimulatedKubeletOptions
        {
            StartContainer = fleet.StartContainerAsync,
            Behaviour = pod => harness!.ContainerBehaviours.GetValueOrDefault(AgentUserOf(pod)) ?? new ContainerBehaviour.Runs(),
            TerminationDelay = TimeSpan.FromMilliseconds(300),
        });
        var admin = new k8s.KubernetesClientConfiguration { Host = server.BaseAddress.ToString(), AccessToken = server.AdminToken };
        var client = new KubernetesClient(admin, json: Kubernetes.Serialization.KubernetesJson.CreateOptions(AgentConnectorJsonContext.Default));
        harness = new OperatorHarness(server, kubelet, fleet, client, operatorKubeconfig, operatorToken, leaderElection);
        kubelet.Start();
        if (startOperator) await harness.StartOperatorAsync(operatorArguments, configureServices);
        return harness;
    }

    public async Task StartOperatorAsync(string[]? extraArguments = null, Action<IServiceCollection>? configureServices = null)
    {
        _operator = OperatorApp.Build(
        [
            "--Host:HealthAddress=http://127.0.0.1:0",
            $"--Host:LeaderElection={_leaderElection}",
            $"--Host:LeaseNamespace={ShippedRbac.OperatorNamespace}",
            "--LeaderElection:RenewDeadline=00:00:01",
            "--LeaderElection:RetryPeriod=00:00:00.200",
            $"--Operator:ConnectorPort={Connectors.Port}",
            "--Operator:StatusPollInterval=00:00:00.300",
            "--Operator:StatusPollTimeout=00:00:01",
            "--Operator:DrainSeconds=1",
            "--Operator:DefaultImage=connector:test",
            "--Logging:LogLevel:Default=Warning",
            $"--Kubernetes:KubeconfigPath={_operatorKubeconfig}",
            .. extraArguments ?? [],
        ], configureServices: configureServices);
        await _operator.StartAsync();
    }

    /// <summary>The running operator's health port (/healthz, /readyz, /metrics).</summary>
    public Uri OperatorAddress
    {
        get
        {
            var bound = _operator?.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("the operator is not running");
            return new Uri(bound + "/");
        }
    }

    /// <summary>One scrape of the operator's /metrics.</summary>
    public async Task<string> ScrapeOperatorAsync()
    {
        using var http = new HttpClient { BaseAddress = OperatorAddress };
        return await http.GetStringAsync("metrics");
    }

    public async Task StopOperatorAsync()
    {
        if (_operator is null) return;
        await _operator.StopAsync();
        await _operator.DisposeAsync();
        _operator = null;
    }

    public static string AgentUserOf(JsonObject pod) =>
        pod["metadata"]?["annotations"]?["connectoroperator.dev/agent-user"]?.GetValue<string>() ?? "";

    public static AgentConnector Connector(string name, int users, DeploymentEnvironment env = DeploymentEnvironment.Demo, string? userPrefix = null)
    {
        var prefix = userPrefix ?? name;
        return new AgentConnector
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new AgentConnectorSpec
            {
                Bot = new BotReference { Id = "bot-" + name, Endpoint = "https://bots.example.invalid/" + name },
                AccountId = "12345678",
                ConversationType = ConversationType.Messaging,
                Environment = env,
                AgentUsers = [.. Enumerable.Range(1, users).Select(i => new AgentUser { LoginName = $"{prefix}-user{i}", CredentialsSecretRef = new SecretReference { Name = $"{prefix}-user{i}" } })],
            },
        };
    }

    /// <summary>Creates the credentials Secrets an AgentConnector's users need, then the AgentConnector.</summary>
    public async Task<AgentConnector> ApplyAsync(AgentConnector connector)
    {
        foreach (var user in connector.Spec.AgentUsers) await CreateCredentialsAsync(user.CredentialsSecretRef.Name);
        return await Client.CreateAsync(AgentConnector.Resource, connector);
    }

    public async Task CreateCredentialsAsync(string name, bool password = false)
    {
        if (await Client.TryGetAsync<V1Secret>(ResourceType.Secret, Namespace, name) is not null) return;
        await Client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            StringData = password
                ? new Dictionary<string, string> { ["password"] = "not-a-real-password" }
                : new Dictionary<string, string> { ["appKey"] = "k", ["appSecret"] = "s", ["accessToken"] = "t", ["accessTokenSecret"] = "ts" },
        });
    }

    public Task<AgentConnector?> GetAsync(string name) => Client.TryGetAsync<AgentConnector>(AgentConnector.Resource, Namespace, name);

    public Task<AgentConnector> PatchSpecAsync(string name, JsonObject spec) =>
        Client.PatchAsync<AgentConnector>(AgentConnector.Resource, Namespace, name, KubernetesPatch.Merge(new JsonObject { ["spec"] = spec }));

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string name) =>
        [.. (await Client.ListAsync<V1Pod>(ResourceType.Pod, Namespace, new ListOptions { LabelSelector = $"connectoroperator.dev/agent-connector={name}" })).Items];

    /// <summary>Polls the AgentConnector until <paramref name="condition"/> holds; the failure shows its last status.</summary>
    public async Task<AgentConnector> WaitForAsync(string name, Func<AgentConnector, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        AgentConnector? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(name);
            if (last is not null && condition(last)) return last;
            await Task.Delay(50);
        }
        var status = last?.Status is null ? "no status" : System.Text.Json.JsonSerializer.Serialize(last.Status, AgentConnectorJsonContext.Default.AgentConnectorStatus);
        Assert.Fail($"timed out waiting until {what}; last status: {status}");
        return null!;
    }

    /// <summary>Online with its Ready condition True.</summary>
    public static bool Online(AgentConnector c) => c.Status?.State == ConnectorState.Online && ConditionIs(c, ConditionTypes.Ready, "True");

    public static bool ConditionIs(AgentConnector c, string type, string status, string? reason = null) =>
        c.Status?.Conditions?.Any(x => x.Type == type && x.Status == status && (reason is null || x.Reason == reason)) == true
        && c.Status.ObservedGeneration == c.Metadata.Generation;

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        await Kubelet.DisposeAsync();
        await Connectors.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        File.Delete(_operatorKubeconfig);
    }
}
