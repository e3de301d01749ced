using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Messaging;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Chat;

/// <summary>
/// The Chat body of the connector: login, agent session, availability, polling for ringing chats and
/// for each chat's events, relaying lines to and from the bot, transfer on escalation, end on close.
/// </summary>
public sealed class ChatAgent : IConnectorAgent
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
    private readonly HttpClient _http;
    private readonly RelayOptions _relayOptions;
    private readonly ConcurrentDictionary<string, ConversationRelay> _chats = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _drain = new();
    private readonly RingingDemand _demand = new();
    private const int MaxConsecutivePollFailures = 5;

    public ChatAgent(
        ConnectorSettings settings,
        DomainResolver domains,
        LoginClient login,
        IBotClient bot,
        HealthState health,
        ConnectorMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        SecretRedactor redactor,
        HttpClient http)
    {
        _settings = settings;
        _domains = domains;
        _login = login;
        _bot = bot;
        _health = health;
        _metrics = metrics;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Chat");
        _redactor = redactor;
        _http = http;
        _relayOptions = RelayOptions.ForChat(settings);
        _health.BotAvailabilityChanged += OnBotAvailabilityChanged;
    }

    public int ActiveConversations => _chats.Values.Count(c => !c.IsFinished);

    public int WaitingConversations => _demand.Waiting;

    public long OfferedAtCapacity => _demand.OfferedAtCapacity;

    public void RequestDrain() => _drain.Cancel();

    public void Dispose()
    {
        _health.BotAvailabilityChanged -= OnBotAvailabilityChanged;
        foreach (var chat in _chats.Values)
        {
            chat.Dispose();
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
            DateTimeOffset? upSince = null;
            try
            {
                await SessionAsync(refreshDomains, () => upSince = _time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (CloudFailureException ex)
            {
                _health.SetDisconnected(ex.Reason, ex.Message, loggedOut: ex.Reason == ConnectorReasons.Unauthorized);
                _logger.LogWarning("Chat: {Reason}: {Error}", ex.Reason, _redactor.Redact(ex.Message));
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                var message = $"chat connection failed: {_redactor.Redact(ex.Message)}";
                _health.SetDisconnected(ConnectorReasons.ConnectionFailed, message);
                _logger.LogWarning("{Error}", message);
            }

            if (_drain.IsCancellationRequested || stoppingToken.IsCancellationRequested)
            {
                break;
            }

            refreshDomains = true;
            var delay = backoff.NextAfter(upSince, _time.GetUtcNow());

            _metrics.Reconnect(_health.CurrentState().Reason);
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _drain.Token);
                await Task.Delay(delay, _time, wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Drain or stop during the wait.
            }
        }

        _health.SetDraining();
    }

    private async Task SessionAsync(bool refreshDomains, Action markUp, CancellationToken stoppingToken)
    {
        _health.SetConnecting("resolving Conversational Cloud domains");
        var domains = await _domains.ResolveAsync(refreshDomains, stoppingToken);
        _health.SetConnecting($"logging in as agent user '{_settings.AgentUser}'");
        var session = await _metrics.Login(_login.LoginAsync(domains.AgentVep, stoppingToken));
        _health.SetComponent(HealthComponent.Authentication, ComponentState.Connected, $"logged in as '{session.LoginName}' ({session.UserId})");
        var api = new ChatApi(_http, session.Bearer, _redactor);
        var account = new Uri(domains.AgentVep, $"api/account/{_settings.AccountId}/");
        var location = await api.PostAsync(new Uri(account, "agentSession"), new JsonObject { ["loginData"] = "" }, stoppingToken);
        var agentSession = location ?? throw new CloudFailureException(ConnectorReasons.ConnectionFailed, "the chat agent session was created without a location");
        // Away while the bot is known to be down: routing then offers chats to connectors whose bot answers.
        var availability = Availability;
        await SetAvailabilityAsync(api, agentSession, availability, stoppingToken);
        _health.SetComponent(HealthComponent.ConversationalCloud, ComponentState.Connected, $"chat agent session up at {domains.AgentVep.Authority}");
        _health.SetOnline($"agent user '{_settings.AgentUser}' is online for chat");
        _logger.LogInformation("Chat agent session up for {AgentUser}", _settings.AgentUser);
        markUp();

        using var scope = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _drain.Token);
        var nextRefresh = _time.GetUtcNow() + _settings.Timings.RefreshInterval;
        try
        {
            var failures = 0;
            while (!scope.IsCancellationRequested)
            {
                _health.Beat();
                try
                {
                    if (_time.GetUtcNow() >= nextRefresh)
                    {
                        await _metrics.Refresh(_login.RefreshAsync(domains.AgentVep, session, scope.Token));
                        nextRefresh = _time.GetUtcNow() + _settings.Timings.RefreshInterval;
                    }

                    if (Availability != availability)
                    {
                        availability = Availability;
                        await SetAvailabilityAsync(api, agentSession, availability, scope.Token);
                        _logger.LogWarning("{What}: availability {Availability}", availability == "Away" ? "The bot is down, taking no new chats" : "The bot answers again, taking chats", availability);
                    }

                    // No new chats while the bot is down: left ringing, they go to another agent.
                    if (availability == "Online")
                    {
                        await AcceptRingingAsync(api, agentSession, scope.Token);
                    }

                    failures = 0;
                }
                catch (CloudFailureException ex) when (!ex.IsUnauthorized && ++failures < MaxConsecutivePollFailures)
                {
                    // A new agent session would abandon the chats this one holds: ride out short trouble.
                    _logger.LogWarning("Chat poll failed ({Failures}/{Max}): {Error}", failures, MaxConsecutivePollFailures, _redactor.Redact(ex.Message));
                }

                await Task.Delay(_settings.Timings.ChatPollInterval, _time, scope.Token);
            }
        }
        catch (OperationCanceledException) when (_drain.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            await DrainAsync(api, agentSession, domains, session, stoppingToken);
        }
        catch (CloudFailureException ex) when (ex.IsUnauthorized)
        {
            _health.RecordError(ConnectorReasons.Unauthorized, ex.Message);
            _health.SetOffline(ConnectorReasons.Connecting, "chat session refused (401): logging in again");
        }
        finally
        {
            _demand.Reset();
        }
    }

    /// <summary>The availability that matches the bot's health (Online also while it was not reached yet).</summary>
    private string Availability => _health.IsBotDown ? "Away" : "Online";

    /// <summary>The bot went down: visitors waiting for its answer go to the fallback skill when one is set.</summary>
    private void OnBotAvailabilityChanged(bool up)
    {
        if (!up)
        {
            foreach (var chat in _chats.Values)
            {
                chat.OnBotDown();
            }
        }
    }

    private static async Task SetAvailabilityAsync(ChatApi api, Uri agentSession, string availability, CancellationToken cancellationToken) =>
        await api.PostAsync(ChatApi.Under(agentSession, "availability"), new JsonObject
        {
            ["availability"] = new JsonObject { ["chat"] = availability },
        }, cancellationToken, methodOverride: "PUT");

    private async Task AcceptRingingAsync(ChatApi api, Uri agentSession, CancellationToken cancellationToken)
    {
        var incoming = ChatApi.Under(agentSession, "incomingRequests");
        var (status, body, _) = await api.SendAsync(HttpMethod.Get, incoming, null, cancellationToken);
        ChatApi.Ensure(status, incoming);
        var ringing = body?["incomingRequests"]?["ringingCount"]?.ToString();
        if (!int.TryParse(ringing, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            RecordDemand(0, 0, stoppedAtCapacity: false);
            return;
        }

        var accepted = 0;
        while (accepted < count && ActiveConversations < _settings.Capacity)
        {
            var (acceptStatus, _, chat) = await api.SendAsync(HttpMethod.Post, incoming, new JsonObject(), cancellationToken);
            if (acceptStatus == HttpStatusCode.NotFound || chat is null)
            {
                // Nothing rings any more (taken elsewhere or ended): no one is left waiting on us.
                RecordDemand(count, accepted, stoppedAtCapacity: false);
                return;
            }

            ChatApi.Ensure(acceptStatus, incoming);
            StartChat(api, chat, cancellationToken);
            accepted++;
        }

        RecordDemand(count, accepted, stoppedAtCapacity: accepted < count);
    }

    private void RecordDemand(int ringing, int accepted, bool stoppedAtCapacity)
    {
        var offered = _demand.RecordPoll(ringing, accepted, stoppedAtCapacity);
        if (offered > 0)
        {
            _logger.LogInformation("At capacity ({Capacity}): {Waiting} ringing chats left for another agent ({Offered} new)", _settings.Capacity, _demand.Waiting, offered);
        }
    }

    private void StartChat(ChatApi api, Uri chat, CancellationToken cancellationToken)
    {
        var chatId = chat.Segments[^1].TrimEnd('/');
        var relay = new ConversationRelay(chatId, null, null, _relayOptions, _bot, new ChatConversationActions(api, chat), _time,
            _loggers.CreateLogger("Conversation"), _metrics, _health);
        _chats[chatId] = relay;
        _metrics.ConversationAccepted();
        _logger.LogInformation("Chat {ChatId} accepted; {Active}/{Capacity} active", chatId, ActiveConversations, _settings.Capacity);
        relay.Start(historyExpected: true);
        _ = PollChatAsync(api, chat, chatId, relay, cancellationToken);
    }

    private async Task PollChatAsync(ChatApi api, Uri chat, string chatId, ConversationRelay relay, CancellationToken cancellationToken)
    {
        var next = new Uri(ChatApi.Under(chat, "events") + "?from=0");
        var first = true;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested && !relay.IsFinished)
            {
                var (status, body, _) = await api.SendAsync(HttpMethod.Get, next, null, cancellationToken);
                if (status == HttpStatusCode.NotFound)
                {
                    break;
                }

                if ((int)status >= 500 && ++failures < MaxConsecutivePollFailures)
                {
                    await Task.Delay(_settings.Timings.ChatPollInterval, _time, cancellationToken);
                    continue;
                }

                failures = 0;
                ChatApi.Ensure(status, next);
                var events = body?["events"];
                foreach (var item in AsList(events?["event"]))
                {
                    var type = item?["@type"]?.ToString();
                    if (type == "state" && item?["state"]?.ToString() == "ended")
                    {
                        relay.Finish();
                        break;
                    }

                    if (type == "line" && item?["text"]?.ToString() is { } text)
                    {
                        var fromVisitor = item["source"]?.ToString() == "visitor" || item["by"]?.ToString() == "Visitor";
                        long? sequence = long.TryParse(item["@id"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
                        relay.OnMessage(new ConversationMessage(sequence, text, fromVisitor));
                    }
                }

                if (first)
                {
                    // A chat handed over by another agent arrives with its lines: they are history, not news.
                    first = false;
                    relay.HistoryComplete();
                }

                var link = AsList(events?["link"]).FirstOrDefault(l => l?["@rel"]?.ToString() == "next")?["@href"]?.ToString();
                if (link is not null && Uri.TryCreate(chat, link, out var nextUri))
                {
                    next = nextUri;
                }

                await Task.Delay(_settings.Timings.ChatPollInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Chat {ChatId}: polling stopped: {Error}", chatId, _redactor.Redact(ex.Message));
        }

        relay.Finish();
        _chats.TryRemove(chatId, out _);
        _logger.LogInformation("Chat {ChatId} ended", chatId);
    }

    private static JsonArray AsList(JsonNode? node) => node switch
    {
        JsonArray array => array,
        JsonObject obj => [obj.DeepClone()],
        _ => [],
    };

    private async Task DrainAsync(ChatApi api, Uri agentSession, ServiceDomains domains, LoginSession session, CancellationToken cancellationToken)
    {
        _health.SetDraining();
        _logger.LogInformation("Draining: going Away and handing {Count} chats back", ActiveConversations);
        try
        {
            await SetAvailabilityAsync(api, agentSession, "Away", cancellationToken);
        }
        catch (CloudFailureException ex)
        {
            _logger.LogWarning("Setting Away failed: {Error}", ex.Message);
        }

        // The Chat API names no skill for a chat, so there is nothing to transfer to: ending the agent
        // session returns its chats to their queue, where another connector takes them.
        foreach (var chat in _chats.Values)
        {
            chat.Dispose();
        }

        _chats.Clear();
        try
        {
            await api.SendAsync(HttpMethod.Delete, agentSession, null, cancellationToken);
            await _login.LogoutAsync(domains.AgentVep, session, cancellationToken);
            _logger.LogInformation("Logged out");
        }
        catch (CloudFailureException ex)
        {
            _logger.LogWarning("Logout failed: {Error}", ex.Message);
        }
    }
}
