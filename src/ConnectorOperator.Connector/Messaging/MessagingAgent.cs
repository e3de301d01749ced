using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Connector.Health;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// The Messaging body of the connector: domain lookup, login, socket, subscriptions, rings,
/// conversations and their relays, session refresh, keep-alive, reconnects and drain.
/// </summary>
public sealed partial class MessagingAgent : IConnectorAgent
{
    private readonly ConnectorSettings _settings;
    private readonly DomainResolver _domains;
    private readonly LoginClient _login;
    private readonly IBotClient _bot;
    private readonly HealthState _health;
    private readonly ConnectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SecretRedactor _redactor;
    private readonly RelayOptions _relayOptions;
    private readonly ConcurrentDictionary<string, TrackedConversation> _conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _acceptedRings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _seenRings = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _drain = new();
    private readonly object _capacityGate = new();
    private readonly HeldRings _heldRings;
    private MessagingSocket? _socket;
    private LoginSession? _session;
    private ServiceDomains? _currentDomains;
    private int _connectionNumber;
    private bool _conflictSeen;
    private bool _drained;
    private int _roleMismatchWarned;

    // Kept across re-logins (the same user keeps its id) so notifications still queued from an ended
    // session are not mistaken for conversations that left us.
    private string? _userId;
    private TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MessagingAgent(
        ConnectorSettings settings,
        DomainResolver domains,
        LoginClient login,
        IBotClient bot,
        HealthState health,
        ConnectorMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        SecretRedactor redactor)
    {
        _settings = settings;
        _domains = domains;
        _login = login;
        _bot = bot;
        _health = health;
        _metrics = metrics;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Messaging");
        _redactor = redactor;
        _relayOptions = RelayOptions.ForMessaging(settings);
        _heldRings = new HeldRings(time, settings.Timings.RingHoldTime, ConnectorTimings.RingHoldExpiryMargin);
        _health.BotAvailabilityChanged += OnBotAvailabilityChanged;
    }

    public int ActiveConversations => _conversations.Values.Count(c => !c.Relay.IsFinished);

    private const string AssignedAgentRole = "ASSIGNED_AGENT";
    private const string ManagerRole = "MANAGER";

    /// <summary>The participant role the configured role means (lpUserRole: ASSIGNED_AGENT or MANAGER).</summary>
    private string ParticipantRole => _settings.Role == AgentRole.Manager ? ManagerRole : AssignedAgentRole;

    public void RequestDrain() => _drain.Cancel();

    public void Dispose()
    {
        _health.BotAvailabilityChanged -= OnBotAvailabilityChanged;
        _availabilityGate.Dispose();
        foreach (var tracked in _conversations.Values)
        {
            tracked.Relay.Dispose();
        }

        _drain.Dispose();
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(_settings.Timings.ReconnectInitialDelay, _settings.Timings.ReconnectMaxDelay);
        var refreshDomains = false;
        while (!stoppingToken.IsCancellationRequested && !_drain.IsCancellationRequested)
        {
            _health.Beat();
            var connectedAt = (DateTimeOffset?)null;
            try
            {
                connectedAt = await ConnectAndServeAsync(refreshDomains, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (CloudFailureException ex)
            {
                if (ex.IsUnauthorized)
                {
                    _session = null;
                }

                _health.SetDisconnected(ex.Reason, ex.Message, loggedOut: ex.Reason == ConnectorReasons.Unauthorized);
                _logger.LogWarning("Conversational Cloud: {Reason}: {Error}", ex.Reason, _redactor.Redact(ex.Message));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or MessagingRequestException or HttpRequestException or IOException)
            {
                var message = $"messaging connection failed: {_redactor.Redact(ex.Message)}";
                if (ex is MessagingRequestException { Code: 401 or 403 })
                {
                    _session = null;
                }

                _health.SetDisconnected(ConnectorReasons.ConnectionFailed, message);
                _logger.LogWarning("{Error}", message);
            }
            finally
            {
                ResetOnline();
                ForgetHeldRings();
                if (_socket is { } socket)
                {
                    _socket = null;
                    await socket.DisposeAsync();
                }
            }

            if (_drain.IsCancellationRequested || stoppingToken.IsCancellationRequested)
            {
                break;
            }

            refreshDomains = true;
            var delay = backoff.NextAfter(connectedAt, _time.GetUtcNow());

            if (_conflictSeen)
            {
                // Taking the session straight back would throw out whoever logged in; wait the longest step.
                _conflictSeen = false;
                delay = _settings.Timings.ReconnectMaxDelay;
            }

            _metrics.Reconnect(_health.CurrentState().Reason);
            _logger.LogInformation("Reconnecting in {Delay:0.###} s", delay.TotalSeconds);
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _drain.Token);
                await Task.Delay(delay, _time, wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Drain or stop requested during the wait.
            }
        }

        if (_drain.IsCancellationRequested && !stoppingToken.IsCancellationRequested && !_drained)
        {
            await FinishDrainWithoutSocketAsync(stoppingToken);
        }
    }

    /// <summary>One connection's life. Returns when it was up and then ended (so the caller backs off).</summary>
    private async Task<DateTimeOffset?> ConnectAndServeAsync(bool refreshDomains, CancellationToken stoppingToken)
    {
        _health.SetConnecting("resolving Conversational Cloud domains");
        var domains = await _domains.ResolveAsync(refreshDomains, stoppingToken);
        _currentDomains = domains;
        if (domains.MessagingSocket is null)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"domain lookup for account {_settings.AccountId} has no asyncMessagingEnt or facadeMsg service");
        }

        if (_session is null)
        {
            _health.SetConnecting($"logging in as agent user '{_settings.AgentUser}'");
            _session = await _metrics.Login(_login.LoginAsync(domains.AgentVep, stoppingToken));
            _userId = _session.UserId;
            _health.SetComponent(HealthComponent.Authentication, ComponentState.Connected, $"logged in as '{_session.LoginName}' ({_session.UserId})");
            _logger.LogInformation("Logged in as {AgentUser} ({UserId}) with {Method}", _settings.AgentUser, _session.UserId, _settings.Credentials);
        }

        var session = _session;
        var uri = new Uri(domains.MessagingSocket, $"ws_api/account/{_settings.AccountId}/messaging/brand/{session.Bearer}?v=2.1");
        _health.SetConnecting("opening the messaging socket");
        _socket = await ConnectSocketAsync(uri, _settings.Timings.RequestTimeout, stoppingToken);
        var socket = _socket;
        var connection = Interlocked.Increment(ref _connectionNumber);
        foreach (var tracked in _conversations.Values)
        {
            tracked.SubscribedOnConnection = 0;
        }

        _ = socket.Closed.ContinueWith(_ => ResetOnline(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var pump = PumpAsync(socket, connection, stoppingToken);
        // AWAY when the bot is known to be down: routing then rings connectors whose bot answers.
        var availability = Availability;
        await socket.RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = session.UserId, ["availability"] = availability }, stoppingToken);
        await socket.RequestAsync(".ams.aam.SubscribeExConversations", new JsonObject
        {
            ["convState"] = new JsonArray("OPEN"),
            ["agentIds"] = new JsonArray(session.UserId),
        }, stoppingToken);
        await socket.RequestAsync(".ams.routing.SubscribeRoutingTasks", new JsonObject(), stoppingToken);
        var connectedAt = _time.GetUtcNow();
        _health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.Connected, $"messaging socket up at {domains.MessagingSocket.Authority}");
        _health.SetOnline($"agent user '{_settings.AgentUser}' is online and subscribed");
        Volatile.Read(ref _online).TrySetResult();
        if (Availability != availability)
        {
            // The bot's health changed while connecting.
            _ = ApplyAvailabilityAsync();
        }

        _logger.LogInformation("Online: socket up, subscriptions in place (connection {Connection})", connection);

        using var connectionScope = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keepAlive = KeepAliveAsync(socket, connectionScope.Token);
        var refresh = RefreshLoopAsync(domains, session, connectionScope.Token);
        var drain = Task.Delay(Timeout.Infinite, _drain.Token);
        var ended = await Task.WhenAny(socket.Closed, refresh, drain, Task.Delay(Timeout.Infinite, stoppingToken));
        await connectionScope.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();

        if (ended == drain)
        {
            await DrainOnSocketAsync(socket, session, domains, stoppingToken);
            return connectedAt;
        }

        if (ended == refresh)
        {
            // The refresh loop only ends when the service refused the session.
            var refused = refresh.Exception?.InnerException?.Message ?? "session refresh ended";
            _session = null;
            _health.RecordError(ConnectorReasons.Unauthorized, refused);
            _health.SetComponent(HealthComponent.Authentication, ComponentState.NotConnected, refused);
            _health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.NotConnected, "reconnecting after a refused session refresh");
            _health.SetOffline(ConnectorReasons.Connecting, "session refresh was refused (401): logging in again");
            _logger.LogWarning("{Error}; logging in again", _redactor.Redact(refused));
            await socket.CloseAsync(stoppingToken);
            return connectedAt;
        }

        var closure = await socket.Closed;
        await Task.WhenAll(pump, keepAlive.ContinueWith(_ => { }, TaskScheduler.Default));
        HandleClosure(closure);
        return connectedAt;
    }

    private static async Task<MessagingSocket> ConnectSocketAsync(Uri uri, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await MessagingSocket.ConnectAsync(uri, requestTimeout, cancellationToken);
        }
        catch (WebSocketException ex) when (ex.Message.Contains("401", StringComparison.Ordinal) || ex.Message.Contains("403", StringComparison.Ordinal))
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, "the messaging socket refused the session bearer: logging in again", 401, ex);
        }
    }

    private void HandleClosure(SocketClosure closure)
    {
        string message;
        var description = _redactor.Redact(closure.Description);
        if (closure.CloseCode == 4401 && !LooksLikeExpiry(description))
        {
            // The service ends a session this way when another login of the same user takes it.
            _session = null;
            _conflictSeen = true;
            message = $"the messaging socket was closed with 4401 ({description}): another login of agent user '{_settings.AgentUser}' took the session (one connector per agent user); logging in again after a pause";
            _health.SetDisconnected(ConnectorReasons.AgentUserConflict, message, loggedOut: true);
        }
        else if (closure.NeedsLogin)
        {
            _session = null;
            message = $"the messaging socket was closed with {closure.CloseCode} ({description}): the session is no longer valid; logging in again";
            _health.RecordError(ConnectorReasons.Unauthorized, message);
            _health.SetDisconnected(ConnectorReasons.Connecting, message, loggedOut: true);
        }
        else
        {
            message = closure.CloseCode is { } code
                ? $"the messaging socket was closed with {code} ({description}): reconnecting"
                : "the messaging socket connection was lost: reconnecting";
            _health.SetDisconnected(ConnectorReasons.ConnectionFailed, message);
        }

        _logger.LogWarning("{Message}", message);
    }

    private static bool LooksLikeExpiry(string description) =>
        description.Contains("expire", StringComparison.OrdinalIgnoreCase)
        || description.Contains("refresh", StringComparison.OrdinalIgnoreCase);

    private async Task KeepAliveAsync(MessagingSocket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_settings.Timings.KeepAliveInterval, _time, cancellationToken);
            _health.Beat();
            try
            {
                await socket.RequestAsync(".GetClock", new JsonObject(), cancellationToken);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("Keep-alive got no answer: dropping the socket");
                await socket.DisposeAsync();
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or MessagingRequestException)
            {
                return;
            }
        }
    }

    private async Task RefreshLoopAsync(ServiceDomains domains, LoginSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(_settings.Timings.RefreshInterval, _time, cancellationToken);
            try
            {
                await _metrics.Refresh(_login.RefreshAsync(domains.AgentVep, session, cancellationToken));
                _logger.LogDebug("Session refreshed");
            }
            catch (CloudFailureException ex) when (!ex.IsUnauthorized)
            {
                // A transient failure: the next refresh may work; the session lives 20 minutes.
                _logger.LogWarning("Session refresh failed: {Error}", ex.Message);
            }
        }
    }

    /// <summary>
    /// A conversation's request. During a reconnect it waits (up to the request timeout) for the next
    /// connection rather than losing a bot reply that arrived in the gap.
    /// </summary>
    private async Task RequestAsync(string type, JsonNode body, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _settings.Timings.RequestTimeout;
        while (true)
        {
            var online = Volatile.Read(ref _online).Task;
            if (online.IsCompleted && _socket is { IsOpen: true } socket)
            {
                try
                {
                    await socket.RequestAsync(type, body, cancellationToken);
                    return;
                }
                catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.InvalidState && _time.GetUtcNow() < deadline)
                {
                    // Not sent: the socket closed in between; wait for the next one.
                }
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new WebSocketException(WebSocketError.InvalidState, $"{type} not sent: not connected");
            }

            try
            {
                // A completed signal with a closed socket means the reset has not happened yet: poll briefly.
                await (online.IsCompleted ? Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken) : online.WaitAsync(remaining, _time, cancellationToken));
            }
            catch (TimeoutException)
            {
                // Checked at the top of the loop.
            }
        }
    }

    private void ResetOnline()
    {
        var current = Volatile.Read(ref _online);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _online, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    private sealed class TrackedConversation(ConversationRelay relay, string dialogId)
    {
        public ConversationRelay Relay { get; } = relay;

        public string DialogId { get; } = dialogId;

        public int SubscribedOnConnection { get; set; }
    }
}
