using ConnectorOperator.Connector.Bot;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Health;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// One conversation between a consumer and the bot: decides how it starts (greeting, transferred-in
/// history), aggregates consumer messages within messageDelay, acknowledges them, resends unanswered
/// messages, escalates on the bot's action or after fallbackEscalationTime, and closes on request.
/// All work runs one step at a time; timers come from the TimeProvider so tests control time.
/// </summary>
public sealed class ConversationRelay : IDisposable
{
    private readonly RelayOptions _options;
    private readonly IBotClient _bot;
    private readonly IConversationActions _actions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectorMetrics? _metrics;
    private readonly HealthState? _health;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<long> _seenSequences = [];
    private readonly List<ConversationMessage> _history = [];
    private readonly List<string> _batchTexts = [];
    private readonly List<long> _batchSequences = [];
    private string? _batchButtonPayload;
    private DateTimeOffset? _batchReceivedAt;
    private readonly Dictionary<string, string> _buttonPostbacks = new(StringComparer.Ordinal);
    private ITimer? _historyTimer;
    private ITimer? _aggregationTimer;
    private ITimer? _resendTimer;
    private ITimer? _fallbackTimer;
    private bool _live;
    private DateTimeOffset? _respondedConsumerMessageAt;
    private BotEvent? _unanswered;
    private DateTimeOffset? _unansweredReceivedAt;
    private int _resends;
    private int _escalationFailures;
    private int _pendingWork;
    private bool _fallbackArmed;

    public ConversationRelay(
        string conversationId,
        string? skillId,
        string? consumerId,
        RelayOptions options,
        IBotClient bot,
        IConversationActions actions,
        TimeProvider time,
        ILogger logger,
        ConnectorMetrics? metrics = null,
        HealthState? health = null)
    {
        ConversationId = conversationId;
        SkillId = skillId;
        ConsumerId = consumerId;
        _options = options;
        _bot = bot;
        _actions = actions;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _health = health;
    }

    public string ConversationId { get; }

    public string? SkillId { get; private set; }

    public string? ConsumerId { get; private set; }

    /// <summary>The relay handed the conversation on (transfer, close, drain) or it ended.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Work queued or running; tests wait for zero.</summary>
    public int PendingWork => Volatile.Read(ref _pendingWork);

    /// <summary>
    /// Starts the conversation. With history expected (Messaging replays from sequence 0), messages are
    /// collected for a short window first; otherwise the greeting goes out at once.
    /// </summary>
    public void Start(bool historyExpected)
    {
        if (historyExpected)
        {
            _historyTimer = _time.CreateTimer(_ => Post(BeginLiveAsync), null, _options.HistoryWindow, Timeout.InfiniteTimeSpan);
        }
        else
        {
            Post(BeginLiveAsync);
        }
    }

    /// <summary>The whole history has been delivered (Chat: the first events page): decide how to start now.</summary>
    public void HistoryComplete()
    {
        _historyTimer?.Dispose();
        Post(BeginLiveAsync);
    }

    public void OnMessage(ConversationMessage message) => Post(() => ReceiveAsync(message));

    /// <summary>The skill changed on the service side (kept for drain hand-back).</summary>
    public void OnSkillChanged(string? skillId)
    {
        if (!string.IsNullOrEmpty(skillId))
        {
            SkillId = skillId;
        }
    }

    /// <summary>The consumer participant changed: step-up authentication happened.</summary>
    public void OnConsumerChanged(string consumerId) => Post(async () =>
    {
        ConsumerId = consumerId;
        _logger.LogInformation("Conversation {ConversationId}: consumer stepped up", ConversationId);
        await SendToBotAsync(BotEventType.StepUp, _options.StepupMessage, consumerMessage: false);
    });

    /// <summary>
    /// The bot went down: a consumer waiting for its answer is handed to the fallback skill when one is set (a person
    /// can answer there); without one the resend and fallbackEscalationTime rules keep trying.
    /// </summary>
    public void OnBotDown() => Post(async () =>
    {
        if (_unanswered is not null && _options.FallbackSkillId is { } fallback)
        {
            await HandToFallbackAsync(fallback);
        }
    });

    /// <summary>Drain: hand the conversation back to its skill so another connector takes it.</summary>
    public async Task<bool> HandBackAsync(CancellationToken cancellationToken)
    {
        var skill = SkillId ?? _options.FallbackSkillId;
        Finish();
        if (skill is null)
        {
            _logger.LogWarning("Conversation {ConversationId}: no skill known to hand it back to", ConversationId);
            return false;
        }

        try
        {
            await _actions.TransferAsync(skill, cancellationToken);
            _logger.LogInformation("Conversation {ConversationId}: handed back to skill {SkillId}", ConversationId, skill);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Conversation {ConversationId}: hand-back to skill {SkillId} failed: {Error}", ConversationId, skill, ex.Message);
            return false;
        }
    }

    /// <summary>The conversation ended or left this agent: stop all timers.</summary>
    public void Finish()
    {
        IsFinished = true;
        foreach (var timer in new[] { _historyTimer, _aggregationTimer, _resendTimer, _fallbackTimer })
        {
            timer?.Dispose();
        }
    }

    public void Dispose()
    {
        Finish();
        _stop.Cancel();
        _stop.Dispose();
    }

    private void Post(Func<Task> work)
    {
        if (IsFinished)
        {
            return;
        }

        Interlocked.Increment(ref _pendingWork);
        _ = RunAsync(work);
    }

    private async Task RunAsync(Func<Task> work)
    {
        try
        {
            await _gate.WaitAsync(_stop.Token);
            try
            {
                if (!IsFinished)
                {
                    await work();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while work was queued.
        }
        catch (ObjectDisposedException) when (IsFinished)
        {
            // The conversation ended while a step was still running.
        }
        catch (Exception ex)
        {
            _logger.LogError("Conversation {ConversationId}: relay step failed: {Error}", ConversationId, ex.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingWork);
        }
    }

    private async Task ReceiveAsync(ConversationMessage message)
    {
        if (message.Sequence is { } sequence && !_seenSequences.Add(sequence))
        {
            return;
        }

        if (!_live)
        {
            _history.Add(message);
            return;
        }

        if (!message.FromConsumer || string.IsNullOrWhiteSpace(message.Text))
        {
            return;
        }

        // maxConsumerMessageDelay counts from the last consumer message the bot responded to, not from the previous one.
        var now = _time.GetUtcNow();
        if (_respondedConsumerMessageAt is { } last && _options.MaxConsumerMessageDelay is { } limit && now - last > limit)
        {
            _logger.LogInformation("Conversation {ConversationId}: consumer message ignored, it came {Minutes:0} min after the last one the bot responded to (limit {Limit:0} min)",
                ConversationId, (now - last).TotalMinutes, limit.TotalMinutes);
            return;
        }

        AddToBatch(message, now);

        if (_options.MessageDelay <= TimeSpan.Zero)
        {
            await FlushAsync();
            return;
        }

        // Each message restarts the wait: the consumer may still be typing the rest of the thought.
        _aggregationTimer?.Dispose();
        _aggregationTimer = _time.CreateTimer(_ => Post(FlushAsync), null, _options.MessageDelay, Timeout.InfiniteTimeSpan);
    }

    private void AddToBatch(ConversationMessage message, DateTimeOffset receivedAt)
    {
        var text = message.Text.Trim();
        var payload = message.Postback ?? _buttonPostbacks.GetValueOrDefault(text);
        // A button click: the bot gets its callback value as the button payload. The text is what the consumer was shown
        // as their choice: the callback value by default, the label with enableButtonTextOnPostback (see the shaper).
        _batchTexts.Add(payload is not null && !_options.EnableButtonTextOnPostback ? payload : text);
        _batchButtonPayload = payload ?? _batchButtonPayload;
        _batchReceivedAt = receivedAt;
        // Only the consumer's own lines are acknowledged (an agent's line can start a transferred conversation).
        if (message.FromConsumer && message.Sequence is { } s)
        {
            _batchSequences.Add(s);
        }
    }

    private async Task BeginLiveAsync()
    {
        if (_live)
        {
            return;
        }

        _live = true;
        var history = _history.Where(m => !string.IsNullOrWhiteSpace(m.Text)).ToList();
        _history.Clear();
        var lastAgent = history.FindLastIndex(m => !m.FromConsumer);
        IEnumerable<ConversationMessage> toSend;
        if (lastAgent < 0)
        {
            await SendToBotAsync(BotEventType.Greeting, _options.GreetingMessage, consumerMessage: false);
            toSend = history;
        }
        else if (lastAgent < history.Count - 1)
        {
            // Transferred in with the consumer waiting: pick up what they wrote after the last agent line.
            toSend = history.Skip(lastAgent + 1);
        }
        else if (_options.SkipAgentMessage)
        {
            // A routing bot's hand-off line is not for this bot: start from the consumer's last message.
            toSend = history.LastOrDefault(m => m.FromConsumer) is { } lastConsumer ? [lastConsumer] : [];
        }
        else
        {
            // skipAgentMessage false: the bot sees the last utterance whoever sent it, here an agent's.
            toSend = [history[^1]];
        }

        var now = _time.GetUtcNow();
        foreach (var message in toSend)
        {
            AddToBatch(message, now);
        }

        if (_batchTexts.Count > 0 && !IsFinished)
        {
            await FlushAsync();
        }
    }

    private async Task FlushAsync()
    {
        if (_batchTexts.Count == 0)
        {
            return;
        }

        var text = string.Join(' ', _batchTexts);
        var sequences = _batchSequences.ToList();
        var payload = _batchButtonPayload;
        var receivedAt = _batchReceivedAt;
        _batchTexts.Clear();
        _batchSequences.Clear();
        _batchButtonPayload = null;
        _batchReceivedAt = null;
        if (_options.AcceptStatus is { } status && sequences.Count > 0)
        {
            try
            {
                await _actions.AcknowledgeAsync(status, sequences, _stop.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Conversation {ConversationId}: acknowledging messages failed: {Error}", ConversationId, ex.Message);
            }
        }

        await SendToBotAsync(BotEventType.Message, text, consumerMessage: true, payload, receivedAt);
    }

    private async Task SendToBotAsync(string type, string text, bool consumerMessage, string? buttonPayload = null, DateTimeOffset? receivedAt = null)
    {
        var botEvent = new BotEvent(ConversationId, type, text, SkillId, ConsumerId) { ButtonPayload = buttonPayload };
        if (consumerMessage)
        {
            _unanswered = botEvent;
            _unansweredReceivedAt = receivedAt;
            _resends = 0;
            StartFallbackTimer();
        }

        await DeliverAsync(botEvent);
    }

    private async Task DeliverAsync(BotEvent botEvent)
    {
        using var activity = ConnectorActivity.Source.StartActivity("relay message");
        activity?.SetTag("conversation.id", ConversationId);
        activity?.SetTag("bot.event.type", botEvent.Type);
        BotAnswer answer;
        try
        {
            answer = await _bot.SendAsync(botEvent, _stop.Token);
            _metrics?.MessageRelayed("toBot");
        }
        catch (BotUnreachableException ex)
        {
            _logger.LogWarning("Conversation {ConversationId}: {EventType} not delivered to the bot: {Error}", ConversationId, botEvent.Type, ex.Message);
            if (ReferenceEquals(botEvent, _unanswered) && _options.FallbackSkillId is { } fallback)
            {
                // The consumer's message cannot reach the bot: a person on the fallback skill can answer it.
                await HandToFallbackAsync(fallback);
                return;
            }

            answer = BotAnswer.None;
        }

        if (ReferenceEquals(botEvent, _unanswered))
        {
            if (answer.Replies.Count > 0 || answer.Action is not null)
            {
                _respondedConsumerMessageAt = _unansweredReceivedAt ?? _respondedConsumerMessageAt;
                _unanswered = null;
                _resendTimer?.Dispose();
                _fallbackTimer?.Dispose();
                _fallbackArmed = false;
            }
            else if (answer.Seen)
            {
                _resendTimer?.Dispose();
            }
            else
            {
                ScheduleResend(botEvent);
            }
        }

        await ApplyAsync(answer);
    }

    private void ScheduleResend(BotEvent botEvent)
    {
        if (_resends >= _options.MessageResendMaxRetries)
        {
            return;
        }

        _resendTimer?.Dispose();
        _resendTimer = _time.CreateTimer(_ => Post(async () =>
        {
            if (!ReferenceEquals(botEvent, _unanswered) || _resends >= _options.MessageResendMaxRetries)
            {
                return;
            }

            _resends++;
            _logger.LogInformation("Conversation {ConversationId}: no answer from the bot, resending ({Attempt}/{Max})",
                ConversationId, _resends, _options.MessageResendMaxRetries);
            await DeliverAsync(botEvent);
        }), null, _options.RetryMessageInterval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts from the first unanswered message: more consumer messages do not postpone the escalation.</summary>
    private void StartFallbackTimer()
    {
        if (_options.FallbackEscalationTime is not { } wait || _fallbackArmed)
        {
            return;
        }

        _fallbackArmed = true;
        _fallbackTimer?.Dispose();
        _fallbackTimer = _time.CreateTimer(_ => Post(async () =>
        {
            _fallbackArmed = false;
            if (_unanswered is null)
            {
                return;
            }

            _unanswered = null;
            _resendTimer?.Dispose();
            _logger.LogWarning("Conversation {ConversationId}: the bot did not answer within {Seconds:0.#} s, escalating to the fallback skill",
                ConversationId, wait.TotalSeconds);
            await EscalateAsync(_options.FallbackSkillId, "fallback");
        }), null, wait, Timeout.InfiniteTimeSpan);
    }

    private async Task HandToFallbackAsync(string fallback)
    {
        _unanswered = null;
        _resendTimer?.Dispose();
        _fallbackTimer?.Dispose();
        _fallbackArmed = false;
        _logger.LogWarning("Conversation {ConversationId}: the bot is down, handing the waiting consumer to the fallback skill {SkillId}", ConversationId, fallback);
        await EscalateAsync(fallback, "bot down");
    }

    private async Task ApplyAsync(BotAnswer answer)
    {
        foreach (var reply in answer.Replies)
        {
            try
            {
                if (reply.StructuredContent is { } content)
                {
                    // Only the latest buttons can be clicked meaningfully; older labels may repeat.
                    _buttonPostbacks.Clear();
                    var cards = StructuredContentShaper.Shape(content, _options.TileDisplay, _options.Accessibility, _options.EnableButtonTextOnPostback);
                    foreach (var card in cards)
                    {
                        // Keyed by the text a click publishes, as the shaper set it.
                        foreach (var (choice, value) in StructuredContentShaper.Postbacks(card))
                        {
                            _buttonPostbacks[choice] = value;
                        }

                        await _actions.PublishStructuredAsync(card, _stop.Token);
                    }
                }

                if (!string.IsNullOrEmpty(reply.Text))
                {
                    await _actions.PublishTextAsync(reply.Text, _stop.Token);
                }

                _metrics?.MessageRelayed("toConsumer");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Conversation {ConversationId}: publishing a bot reply failed: {Error}", ConversationId, ex.Message);
            }
        }

        switch (answer.Action?.Type)
        {
            case BotAction.Escalate:
                await EscalateAsync(answer.Action.SkillId ?? _options.FallbackSkillId, "bot");
                break;
            case BotAction.Close:
                try
                {
                    await _actions.CloseAsync(_stop.Token);
                    _logger.LogInformation("Conversation {ConversationId}: closed at the bot's request", ConversationId);
                    Finish();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("Conversation {ConversationId}: closing failed: {Error}", ConversationId, ex.Message);
                }

                break;
            default:
                break;
        }
    }

    private async Task EscalateAsync(string? skillId, string trigger)
    {
        string failure;
        if (skillId is null)
        {
            failure = "no skill to escalate to: the bot named none and no fallback skill is configured";
        }
        else
        {
            try
            {
                await _actions.TransferAsync(skillId, _stop.Token);
                _metrics?.Escalation("transferred");
                _logger.LogInformation("Conversation {ConversationId}: escalated to skill {SkillId} ({Trigger})", ConversationId, skillId, trigger);
                Finish();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failure = $"transfer to skill {skillId} failed: {ex.Message}";
            }
        }

        _metrics?.Escalation("failed");
        _escalationFailures++;
        _logger.LogWarning("Conversation {ConversationId}: escalation failed ({Failures}): {Error}", ConversationId, _escalationFailures, failure);
        _health?.RecordError("EscalationFailed", $"conversation {ConversationId}: {failure}");
        if (_escalationFailures <= _options.MaxEscalationRetries)
        {
            await SendToBotAsync(BotEventType.EscalationFailed, BotEventType.EscalationFailedText, consumerMessage: false);
        }
    }
}
