using System.Globalization;
using System.Net;
using ConnectorOperator.Simulator.Cloud;
using ConnectorOperator.Simulator.Faults;
using ConnectorOperator.Simulator.Http;
using ConnectorOperator.Simulator.Inspection;
using ConnectorOperator.Simulator.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Simulator;

/// <summary>
/// A loopback double of the Conversational Cloud agent APIs a connector uses (domain lookup, login,
/// the messaging socket, the Chat REST API), plus a sample bot and a control API under <c>/_sim</c>.
/// Every service shares one port.
/// </summary>
public sealed class ConversationalCloudSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CloudEngine _engine;

    private ConversationalCloudSimulator(WebApplication app, CloudEngine engine, Uri address)
    {
        _app = app;
        _engine = engine;
        CsdsAddress = address;
    }

    /// <summary><c>http://127.0.0.1:port</c>: what a connector gets as its csdsDomain.</summary>
    public Uri CsdsAddress { get; }

    /// <summary>The sample bot endpoint (the bot contract).</summary>
    public Uri BotAddress => new(CsdsAddress, "/bot");

    /// <summary>The HTTP control API's root (<c>/_sim/</c>).</summary>
    public Uri ControlAddress => new(CsdsAddress, "/_sim/");

    /// <summary>The OAuth 2.0 token endpoint (<see cref="SimulatorOptions.Apigee"/>).</summary>
    public Uri ApigeeTokenAddress => new(CsdsAddress, ApigeeTokenEndpoint.Path);

    /// <summary>Tokens the token endpoint issued.</summary>
    public ApigeeTokenIssuer Apigee => _engine.Apigee;

    public int Port => CsdsAddress.Port;

    public SimulatorOptions Options => _engine.Options;

    /// <summary>Runtime fault switches.</summary>
    public SimulatorFaults Faults => _engine.Faults;

    /// <summary>Raised for every conversation happening; handlers run under the simulator's lock and must be quick.</summary>
    public event Action<ConversationActivity>? ConversationActivity
    {
        add => _engine.Activity += value;
        remove => _engine.Activity -= value;
    }

    public static async Task<ConversationalCloudSimulator> StartAsync(SimulatorOptions options, CancellationToken ct = default) =>
        await StartAsync(options, NullLoggerFactory.Instance, ct);

    public static async Task<ConversationalCloudSimulator> StartAsync(SimulatorOptions options, ILoggerFactory loggerFactory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        // Open sockets and streams are cut at shutdown; there is nothing worth waiting long for.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));

        var engine = new CloudEngine(options, new SimulatorFaults(), loggerFactory.CreateLogger("ConnectorOperator.Simulator"));
        var app = builder.Build();
        app.UseWebSockets();
        string? hostAndPort = null;
        LoginEndpoints.Map(app, engine, () => hostAndPort!);
        MessagingSocketEndpoint.Map(app, engine);
        ChatEndpoints.Map(app, engine);
        SampleBotEndpoint.Map(app, engine);
        ApigeeTokenEndpoint.Map(app, engine);
        ControlEndpoints.Map(app, engine);

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            engine.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        hostAndPort = $"127.0.0.1:{bound.Port.ToString(CultureInfo.InvariantCulture)}";
        return new ConversationalCloudSimulator(app, engine, new Uri($"http://{hostAndPort}"));
    }

    /// <summary>A consistent snapshot of agents, sessions, conversations and counters.</summary>
    public SimulatorState GetState() => _engine.Snapshot();

    /// <summary>A consumer opens a conversation on a skill (and says <paramref name="firstMessage"/>); returns its id.</summary>
    public string OpenConversation(string accountId, string skillId, string? firstMessage = null, string? consumerId = null) =>
        _engine.OpenConversation(accountId, skillId, firstMessage, consumerId);

    /// <summary>The consumer writes; returns the message's sequence.</summary>
    public long SendConsumerMessage(string conversationId, string text) => _engine.SendConsumerMessage(conversationId, text);

    public void CloseConversationByConsumer(string conversationId) => _engine.CloseByConsumer(conversationId);

    /// <summary>Replaces the consumer with an authenticated one (step-up).</summary>
    public void StepUpConsumer(string conversationId, string authenticatedConsumerId) =>
        _engine.StepUpConsumer(conversationId, authenticatedConsumerId);

    /// <summary>Drops (aborts, no close handshake) every socket, or those of one agent user.</summary>
    public int DropSockets(string? accountId = null, string? loginName = null) => _engine.DropSockets(accountId, loginName);

    /// <summary>Revokes an agent user's live session (sockets close with 4401, refresh answers 401).</summary>
    public bool RevokeSession(string accountId, string loginName) => _engine.RevokeSession(accountId, loginName);

    /// <summary>Runs the expiry checks now rather than at the next sweep.</summary>
    public void SweepNow() => _engine.Sweep();

    public async ValueTask DisposeAsync()
    {
        _engine.Dispose();
        _engine.DropSockets(null, null);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
