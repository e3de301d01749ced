using System.Net;
using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Chat;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Messaging;
using ConnectorOperator.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace ConnectorOperator.Connector;

/// <summary>
/// One running connector: the health server plus the Messaging or Chat agent. Program runs one per
/// process; tests start several in one process.
/// </summary>
public sealed class ConnectorHost : IAsyncDisposable, IDrainControl
{
    private readonly WebApplication _web;
    private readonly IConnectorAgent _agent;
    private readonly BotHealthProbe _botProbe;
    private readonly ApigeeTokenSource? _apigee;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly TimeSpan _drainTime;
    private readonly TaskCompletionSource _drainRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<int>? _completion;

    private ConnectorHost(WebApplication web, IConnectorAgent agent, BotHealthProbe botProbe, ApigeeTokenSource? apigee, HttpClient http, HealthState health, ILogger logger, TimeSpan drainTime)
    {
        _web = web;
        _agent = agent;
        _botProbe = botProbe;
        _apigee = apigee;
        _http = http;
        Health = health;
        _logger = logger;
        _drainTime = drainTime;
    }

    public HealthState Health { get; }

    /// <summary>Where /healthz, /status, ... answer (the bound port when 0 was asked for).</summary>
    public Uri HealthAddress { get; private set; } = new("http://127.0.0.1/");

    public TimeSpan DrainTime => _drainTime;

    /// <summary>Completes before the health server stops: true when the agent finished by itself, false when it ran out of drain time or failed.</summary>
    public Task<bool> Drained => _drained.Task;

    /// <summary>Completes with the process exit code once the connector stopped.</summary>
    public Task<int> Completion => _completion ?? Task.FromResult(0);

    public static async Task<ConnectorHost> StartAsync(ConnectorSettings settings, Action<ILoggingBuilder>? logging = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is null && string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // Logging__Format=json: one JSON object per line for log collectors.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging(builder.Logging);
        }

        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Traces only when a collector is named (the standard OTEL_* variables configure the exporter).
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("connector"))
                .WithTracing(t => t.AddSource(ConnectorActivity.SourceName).AddOtlpExporter());
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(ParseAddress(settings.HttpAddress), settings.HttpPort));

        var web = builder.Build();
        var loggers = web.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("Connector");
        var redactor = new SecretRedactor(settings.SecretValues());
        var health = new HealthState(settings.AgentUser, settings.Revision, settings.Capacity, time, redactor)
        {
            StuckAfter = (4 * settings.Timings.KeepAliveInterval) + (2 * settings.Timings.ReconnectMaxDelay) + (2 * settings.Timings.ChatPollInterval) + TimeSpan.FromSeconds(30),
        };
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = settings.Timings.RequestTimeout,
        };
        IConnectorAgent? agent = null;
        var metrics = new ConnectorMetrics(() => agent, health);
        DotNetStats.Register(metrics.Registry);
        var resolver = new DomainResolver(http, settings.CsdsDomain, settings.AccountId, time, settings.Timings.DomainCacheTime);
        var login = new LoginClient(http, settings.AccountId, settings.AgentUser, settings.Credentials, redactor);
        var apigee = settings.Apigee is { } apigeeSettings ? new ApigeeTokenSource(http, apigeeSettings, time, redactor) : null;
        var bot = new BotClient(http, settings, health, metrics, redactor, apigee);
        agent = settings.ConversationType == ConversationType.Chat
            ? new ChatAgent(settings, resolver, login, bot, health, metrics, time, loggers, redactor, http)
            : new MessagingAgent(settings, resolver, login, bot, health, metrics, time, loggers, redactor);
        health.Conversations = agent;

        var botProbe = new BotHealthProbe(bot, settings.Timings.BotProbeInterval, time, loggers.CreateLogger("Connector.BotProbe"));
        var host = new ConnectorHost(web, agent, botProbe, apigee, http, health, logger, settings.DrainTime);
        HealthServer.Map(web, health, metrics, host);
        foreach (var warning in settings.Warnings)
        {
            logger.LogWarning("Configuration: {Warning}", warning);
        }

        await web.StartAsync();
        var addresses = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses?.FirstOrDefault() is { } bound)
        {
            host.HealthAddress = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        }

        logger.LogInformation("Connector for bot {BotId} as agent user {AgentUser} ({Type}, account {AccountId}, revision {Revision}); health on {Address}",
            settings.BotId, settings.AgentUser, settings.ConversationType, settings.AccountId, settings.Revision, host.HealthAddress);
        host._completion = host.RunAsync();
        return host;
    }

    /// <summary>/drain and SIGTERM: hand conversations back, log out, exit within the drain time.</summary>
    public void RequestDrain()
    {
        if (_drainRequested.TrySetResult())
        {
            _logger.LogInformation("Drain requested: handing conversations back within {Seconds:0} s", _drainTime.TotalSeconds);
            Health.SetDraining();
            _agent.RequestDrain();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Completion;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _agent.Dispose();
        await _web.DisposeAsync();
        _apigee?.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task<int> RunAsync()
    {
        var probing = Task.Run(() => _botProbe.RunAsync(_stop.Token));
        var run = Task.Run(() => _agent.RunAsync(_stop.Token));
        var drainDeadline = _drainRequested.Task.ContinueWith(_ => Task.Delay(_drainTime), TaskScheduler.Default).Unwrap();
        var finished = await Task.WhenAny(run, drainDeadline);

        // Release a waiting GET /drain (the preStop hook) while the health server can still answer it.
        _drained.TrySetResult(finished == run && run.IsCompletedSuccessfully);
        if (finished != run)
        {
            _logger.LogWarning("Drain did not finish within {Seconds:0} s: stopping anyway", _drainTime.TotalSeconds);
            await _stop.CancelAsync();
        }

        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (Exception ex)
        {
            _logger.LogCritical("The connector loop failed: {Error}", ex.Message);
            await _stop.CancelAsync();
            await _web.StopAsync(CancellationToken.None);
            return 1;
        }

        await _stop.CancelAsync();
        await probing;
        _logger.LogInformation("Connector stopped");
        await _web.StopAsync(CancellationToken.None);
        return 0;
    }

    private static IPAddress ParseAddress(string address) =>
        address == "localhost" ? IPAddress.Loopback : IPAddress.Parse(address);

    /// <summary>Signals are handled by Program (drain first), not by the generic host's console lifetime.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
