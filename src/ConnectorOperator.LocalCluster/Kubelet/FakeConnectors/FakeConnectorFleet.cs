using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;

/// <summary>
/// Stand-ins for connector processes, for any number of pods: ONE listener on the connector port answers
/// /healthz, /readyz, /status and /drain (docs/connector-contract.md) for whichever pod the connection is addressed
/// to (each pod has its own loopback IP), so pods cost no server, thread or file watcher of their own. Plug
/// <see cref="StartContainerAsync"/> into <see cref="SimulatedKubeletOptions.StartContainer"/>.
/// </summary>
public sealed class FakeConnectorFleet : IAsyncDisposable
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private readonly ConcurrentDictionary<string, FakeConnector> _byAddress = new();
    private WebApplication? _app;
    private long _statusRequests;

    private FakeConnectorFleet() { }

    /// <summary>The port every fake connector answers on (each pod on its own address), i.e. the operator's ConnectorPort.</summary>
    public int Port { get; private set; }

    /// <summary>Per agent user: how its connectors answer.</summary>
    public ConcurrentDictionary<string, FakeConnectorBehaviour> Behaviours { get; } = new();

    /// <summary>Pods whose connector was asked to drain (preStop), in order.</summary>
    public ConcurrentQueue<string> Drained { get; } = new();

    /// <summary>Pod starts, in order, with the agent user each logs in as.</summary>
    public ConcurrentQueue<(string Pod, string AgentUser)> Started { get; } = new();

    /// <summary>GET /status answers so far (the operator's polls).</summary>
    public long StatusRequests => Interlocked.Read(ref _statusRequests);

    /// <summary>The connectors running now.</summary>
    public IReadOnlyCollection<FakeConnector> Running => [.. _byAddress.Values];

    public FakeConnectorBehaviour For(string agentUser) => Behaviours.GetOrAdd(agentUser, _ => new FakeConnectorBehaviour());

    /// <summary>Crashes every running connector of the agent user; returns how many.</summary>
    public int Crash(string agentUser, int exitCode = 1)
    {
        var crashed = _byAddress.Values.Where(c => c.AgentUser == agentUser).ToList();
        foreach (var connector in crashed) connector.Crash(exitCode);
        return crashed.Count;
    }

    public static async Task<FakeConnectorFleet> StartAsync(CancellationToken cancellationToken = default)
    {
        var fleet = new FakeConnectorFleet();
        // The empty builder reads no configuration files, so there is no file watcher (inotify instance) either.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Any, 0));
        builder.Services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = LoopbackOnlySocket);
        var app = builder.Build();
        app.Run(fleet.HandleAsync);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fleet.Port = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        fleet._app = app;
        return fleet;
    }

    /// <summary>The kubelet's container start for a pod: registers its fake connector at the pod's address.</summary>
    public Task<ISimulatedContainer?> StartContainerAsync(JsonObject pod, string address, CancellationToken cancellationToken)
    {
        var name = PodSpecReader.Name(pod);
        var env = PodSpecReader.MainContainer(pod)?["env"]?.AsArray() ?? [];
        string? Env(string variable) => env.FirstOrDefault(e => e?["name"]?.GetValue<string>() == variable)?["value"]?.GetValue<string>();
        var user = Env(ConnectorEnvironment.AgentUser) ?? "";
        var behaviour = For(user);
        if (behaviour.TakeFailingStart()) throw new InvalidOperationException($"fake connector of agent user '{user}' failed to start (scripted)");
        var connector = new FakeConnector(name, user, Env(ConnectorEnvironment.Revision), address, behaviour, Stopped);
        _byAddress[address] = connector;
        Started.Enqueue((name, user));
        return Task.FromResult<ISimulatedContainer?>(connector);
    }

    private void Stopped(FakeConnector connector) => _byAddress.TryRemove(new KeyValuePair<string, FakeConnector>(connector.Address, connector));

    private async Task HandleAsync(HttpContext context)
    {
        // Nothing runs at that address (or it is not loopback): drop the connection, as a refused connect would.
        if (context.Connection.LocalIpAddress?.ToString() is not { } local || !_byAddress.TryGetValue(local, out var connector))
        {
            context.Abort();
            return;
        }
        switch (context.Request.Path.Value)
        {
            case ConnectorEndpoints.Healthz:
                await context.Response.WriteAsync("ok");
                break;
            case ConnectorEndpoints.Readyz:
                context.Response.StatusCode = connector.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync(connector.Ready ? "ok" : "not ready");
                break;
            case ConnectorEndpoints.Status:
                Interlocked.Increment(ref _statusRequests);
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, connector.Report(), ConnectorStatusJsonContext.Default.ConnectorStatusReport);
                break;
            case ConnectorEndpoints.Drain:
                connector.Drain();
                Drained.Enqueue(connector.Pod);
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    /// <summary>
    /// One socket for every pod address: bound to all IPv4 addresses (so 127.x.y.z all reach it) but, where the
    /// kernel allows, only on the loopback device, so nothing outside the machine can connect.
    /// </summary>
    private static Socket LoopbackOnlySocket(EndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, "lo\0"u8);
        }
        catch (SocketException)
        {
            // Not permitted here; requests to non-pod addresses are still dropped by the handler.
        }
        socket.Bind(endpoint);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
