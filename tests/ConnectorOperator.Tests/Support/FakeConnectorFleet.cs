using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Tests.Support;

/// <summary>How a fake connector for one agent user answers (docs/connector-contract.md); tests change it on the fly.</summary>
public sealed class FakeConnectorBehaviour
{
    public ConnectorReportState State { get; set; } = ConnectorReportState.Online;
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public int ActiveConversations { get; set; }
    public int WaitingConversations { get; set; }
    public long OfferedAtCapacity { get; set; }
}

/// <summary>
/// Stand-ins for connector processes: each pod the simulated kubelet starts gets a tiny HTTP server on its own
/// loopback address serving /healthz, /readyz, /status and /drain as the connector contract says.
/// </summary>
public sealed class FakeConnectorFleet
{
    public FakeConnectorFleet()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The port every fake connector listens on (each on its own address), i.e. the operator's ConnectorPort.</summary>
    public int Port { get; }

    public ConcurrentDictionary<string, FakeConnectorBehaviour> Behaviours { get; } = new();

    /// <summary>Pods whose connector was asked to drain (preStop), in order.</summary>
    public ConcurrentQueue<string> Drained { get; } = new();

    /// <summary>Pod starts, in order, with the agent user each logs in as.</summary>
    public ConcurrentQueue<(string Pod, string AgentUser)> Started { get; } = new();

    public FakeConnectorBehaviour For(string agentUser) => Behaviours.GetOrAdd(agentUser, _ => new FakeConnectorBehaviour());

    public async Task<IAsyncDisposable?> StartAsync(JsonObject pod, string address, CancellationToken cancellationToken)
    {
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        var env = pod["spec"]!["containers"]![0]!["env"]!.AsArray();
        var user = env.FirstOrDefault(e => e?["name"]?.GetValue<string>() == ConnectorOperator.Contracts.ConnectorEnvironment.AgentUser)?["value"]?.GetValue<string>() ?? "";
        var revision = env.FirstOrDefault(e => e?["name"]?.GetValue<string>() == ConnectorOperator.Contracts.ConnectorEnvironment.Revision)?["value"]?.GetValue<string>();
        var behaviour = For(user);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{address}:{Port}");
        var app = builder.Build();
        var draining = false;
        app.MapGet(ConnectorEndpoints.Healthz, () => Results.Text("ok"));
        app.MapGet(ConnectorEndpoints.Readyz, () => behaviour.State == ConnectorReportState.Online && !draining ? Results.Text("ok") : Results.Text("not ready", statusCode: 503));
        app.MapGet(ConnectorEndpoints.Status, () => Results.Json(new ConnectorStatusReport
        {
            State = draining ? ConnectorReportState.Draining : behaviour.State,
            Reason = behaviour.Reason,
            Message = behaviour.Message,
            AgentUser = user,
            Revision = revision,
            ActiveConversations = behaviour.ActiveConversations,
            Capacity = 50,
            WaitingConversations = behaviour.WaitingConversations,
            OfferedAtCapacity = behaviour.OfferedAtCapacity,
            Draining = draining,
            Components = new ConnectorComponents
            {
                ConversationalCloud = new ComponentReport { Status = behaviour.State == ConnectorReportState.Online ? ComponentState.Connected : ComponentState.NotConnected },
                Authentication = behaviour.Reason == ConnectorReasons.Unauthorized
                    ? new ComponentReport { Status = ComponentState.NotConnected, Message = behaviour.Message }
                    : new ComponentReport { Status = ComponentState.Connected },
                Bot = new ComponentReport { Status = ComponentState.Connected },
            },
        }, ConnectorStatusJsonContext.Default.ConnectorStatusReport));
        app.MapGet(ConnectorEndpoints.Drain, () =>
        {
            draining = true;
            Drained.Enqueue(name);
            return Results.Accepted();
        });
        await app.StartAsync(cancellationToken);
        Started.Enqueue((name, user));
        return app;
    }
}
