using ConnectorOperator.Connector.Cloud;

namespace ConnectorOperator.Connector.Health;

public enum HealthComponent
{
    ConversationalCloud,
    Authentication,
    Bot,
}

/// <summary>
/// The connector's honest view of itself, shared by the agent loops (writers) and the health server
/// (reader). Every message passes the redactor so no credential can reach /status.
/// </summary>
public sealed class HealthState
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly Dictionary<HealthComponent, ComponentView> _components = [];
    private string _reason = ConnectorReasons.Connecting;
    private string _message = "starting";
    private bool _everConnected;
    private bool _sessionUp;
    private bool _draining;
    private (string Reason, string Message, DateTimeOffset At)? _lastError;
    private DateTimeOffset _lastBeat;

    public HealthState(string agentUser, string revision, int capacity, TimeProvider time, SecretRedactor redactor)
    {
        AgentUser = agentUser;
        Revision = revision;
        Capacity = capacity;
        _time = time;
        _redactor = redactor;
        _lastBeat = time.GetUtcNow();
        foreach (var component in Enum.GetValues<HealthComponent>())
        {
            _components[component] = new ComponentView(ComponentState.Unknown, "not checked yet", time.GetUtcNow());
        }
    }

    public string AgentUser { get; }

    public string Revision { get; }

    public int Capacity { get; }

    /// <summary>How long the loops may go without a heartbeat before /healthz fails.</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The agent's conversations; none until the agent exists.</summary>
    public IConversationLoad? Conversations { get; set; }

    public bool IsDraining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    /// <summary>
    /// Raised (outside the lock) when the bot goes down (false: NotConnected) or answers again (true), so the agents
    /// stop and resume taking conversations. Unknown is neither: the bot has not been reached yet.
    /// </summary>
    public event Action<bool>? BotAvailabilityChanged;

    /// <summary>The bot's last call or probe failed.</summary>
    public bool IsBotDown
    {
        get
        {
            lock (_gate)
            {
                return _components[HealthComponent.Bot].Status == ComponentState.NotConnected;
            }
        }
    }

    public void SetComponent(HealthComponent component, ComponentState status, string message)
    {
        bool? botUp = null;
        lock (_gate)
        {
            var current = _components[component];
            var since = current.Status == status ? current.Since : _time.GetUtcNow();
            _components[component] = new ComponentView(status, _redactor.Redact(message), since);
            if (component == HealthComponent.Bot && current.Status != status && status != ComponentState.Unknown
                && (status == ComponentState.NotConnected || current.Status == ComponentState.NotConnected))
            {
                botUp = status == ComponentState.Connected;
            }
        }

        if (botUp is { } up)
        {
            BotAvailabilityChanged?.Invoke(up);
        }
    }

    /// <summary>The session (socket or Chat agent session) is up with its subscriptions in place.</summary>
    public void SetOnline(string message)
    {
        lock (_gate)
        {
            _sessionUp = true;
            _everConnected = true;
            _reason = ConnectorReasons.Connected;
            _message = _redactor.Redact(message);
        }
    }

    /// <summary>
    /// A (re)connect step is under way. An earlier failure stays the reported reason until the session
    /// is up again: it explains the outage better than "Connecting" does.
    /// </summary>
    public void SetConnecting(string message)
    {
        lock (_gate)
        {
            var failing = !_sessionUp && _reason != ConnectorReasons.Connecting && _reason != ConnectorReasons.Connected;
            _sessionUp = false;
            if (!failing)
            {
                _reason = ConnectorReasons.Connecting;
                _message = _redactor.Redact(message);
            }
        }
    }

    /// <summary>The session is down for <paramref name="reason"/> (a contract Offline reason).</summary>
    public void SetOffline(string reason, string message)
    {
        lock (_gate)
        {
            _sessionUp = false;
            _reason = reason;
            _message = _redactor.Redact(message);
            if (reason != ConnectorReasons.Connecting)
            {
                _lastError = (reason, _message, _time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// The session was lost for <paramref name="reason"/>: Conversational Cloud is not connected, nor is
    /// authentication when <paramref name="loggedOut"/> (the login itself is no longer good).
    /// </summary>
    public void SetDisconnected(string reason, string message, bool loggedOut = false)
    {
        if (loggedOut)
        {
            SetComponent(HealthComponent.Authentication, ComponentState.NotConnected, message);
        }

        SetComponent(HealthComponent.ConversationalCloud, ComponentState.NotConnected, message);
        SetOffline(reason, message);
    }

    /// <summary>Records an error without changing the state (a failed bot call, a failed transfer).</summary>
    public void RecordError(string reason, string message)
    {
        lock (_gate)
        {
            _lastError = (reason, _redactor.Redact(message), _time.GetUtcNow());
        }
    }

    public void SetDraining()
    {
        lock (_gate)
        {
            _draining = true;
        }
    }

    /// <summary>Called by the loops to show they are not stuck.</summary>
    public void Beat()
    {
        lock (_gate)
        {
            _lastBeat = _time.GetUtcNow();
        }
    }

    public bool IsAlive()
    {
        lock (_gate)
        {
            return _time.GetUtcNow() - _lastBeat < StuckAfter;
        }
    }

    /// <summary>What keeps the connector from being ready; empty when ready.</summary>
    public IReadOnlyList<string> ReadinessProblems()
    {
        lock (_gate)
        {
            var problems = new List<string>();
            if (_draining)
            {
                problems.Add("draining");
            }

            if (!_sessionUp)
            {
                problems.Add($"not connected ({_reason}): {_message}");
            }

            foreach (var (component, view) in _components)
            {
                // The bot counts too: a connector whose bot never answered must not look ready for conversations.
                if (view.Status != ComponentState.Connected)
                {
                    problems.Add($"{Name(component)} is {view.Status}: {view.Message}");
                }
            }

            return problems;
        }
    }

    public ComponentState StatusOf(HealthComponent component)
    {
        lock (_gate)
        {
            return _components[component].Status;
        }
    }

    public (ConnectorReportState State, string Reason) CurrentState()
    {
        lock (_gate)
        {
            return Compute();
        }
    }

    public ConnectorStatusReport Snapshot()
    {
        lock (_gate)
        {
            var (state, reason) = Compute();
            var bot = _components[HealthComponent.Bot].Message;
            var message = !_sessionUp ? _message
                : reason == ConnectorReasons.BotUnreachable ? bot
                : reason == ConnectorReasons.Connecting ? $"connected to Conversational Cloud; waiting for the bot's first answer ({bot})"
                : _message;
            return new ConnectorStatusReport
            {
                State = state,
                Reason = reason,
                Message = state == ConnectorReportState.Draining ? "handing conversations back and logging out" : message,
                AgentUser = AgentUser,
                Revision = Revision,
                ActiveConversations = Conversations?.ActiveConversations ?? 0,
                Capacity = Capacity,
                WaitingConversations = Conversations?.WaitingConversations ?? 0,
                OfferedAtCapacity = Conversations?.OfferedAtCapacity ?? 0,
                Draining = _draining,
                Components = new ConnectorComponents
                {
                    ConversationalCloud = Report(HealthComponent.ConversationalCloud),
                    Authentication = Report(HealthComponent.Authentication),
                    Bot = Report(HealthComponent.Bot),
                },
                LastError = _lastError is { } e ? new ConnectorError { Reason = e.Reason, Message = e.Message, At = e.At } : null,
            };
        }
    }

    private (ConnectorReportState State, string Reason) Compute()
    {
        if (_draining)
        {
            return (ConnectorReportState.Draining, ConnectorReasons.Draining);
        }

        if (_sessionUp)
        {
            return _components[HealthComponent.Bot].Status switch
            {
                ComponentState.NotConnected => (ConnectorReportState.Offline, ConnectorReasons.BotUnreachable),
                // Connected to Conversational Cloud, but the bot has not answered yet: not Online before it was reached.
                ComponentState.Unknown => (ConnectorReportState.Starting, ConnectorReasons.Connecting),
                _ => (ConnectorReportState.Online, ConnectorReasons.Connected),
            };
        }

        return !_everConnected && _reason == ConnectorReasons.Connecting
            ? (ConnectorReportState.Starting, ConnectorReasons.Connecting)
            : (ConnectorReportState.Offline, _reason);
    }

    internal static string Name(HealthComponent component) => component switch
    {
        HealthComponent.ConversationalCloud => "conversationalCloud",
        HealthComponent.Authentication => "authentication",
        _ => "bot",
    };

    private ComponentReport Report(HealthComponent component)
    {
        var view = _components[component];
        return new ComponentReport { Status = view.Status, Message = view.Message, Since = view.Since };
    }

    private sealed record ComponentView(ComponentState Status, string Message, DateTimeOffset Since);
}
