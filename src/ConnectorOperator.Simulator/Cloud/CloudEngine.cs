using System.Security.Cryptography;
using ConnectorOperator.Simulator.Faults;
using ConnectorOperator.Simulator.Options;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>
/// The simulated service's whole state behind one lock. A simulator serves a handful of agents and a few
/// hundred conversations; one lock keeps every routing decision consistent and every test deterministic.
/// Socket frames are only enqueued under the lock, never awaited.
/// </summary>
internal sealed partial class CloudEngine : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, AccountRuntime> _accounts;
    private readonly Dictionary<string, AgentSession> _sessionsByBearer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentSession> _sessionsById = new(StringComparer.Ordinal);
    private readonly List<AgentSession> _allSessions = [];
    private readonly List<SessionConflictRecord> _conflicts = [];
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly CloudCounters _counters = new();
    private readonly ITimer _sweeper;
    private long _nextId;

    public CloudEngine(SimulatorOptions options, SimulatorFaults faults, ILogger logger)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
        Faults = faults;
        _accounts = options.Accounts.ToDictionary(a => a.Id, a => new AccountRuntime(a), StringComparer.Ordinal);
        _sweeper = _time.CreateTimer(_ => SweepFromTimer(), null, options.SweepInterval, options.SweepInterval);
        Apigee = new ApigeeTokenIssuer(() => _options.Apigee, _time);
    }

    public SimulatorFaults Faults { get; }

    public ApigeeTokenIssuer Apigee { get; }

    public TimeProvider Time => _time;

    public SimulatorOptions Options => _options;

    /// <summary>Raised under the engine's lock: handlers must be quick and must not call back in.</summary>
    public event Action<ConversationActivity>? Activity;

    public bool HasAccount(string accountId) => _accounts.ContainsKey(accountId);

    public void CountBotCall(bool failed)
    {
        lock (_gate)
        {
            _counters.BotCalls++;
            if (failed)
            {
                _counters.BotFailures++;
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();

    private DateTimeOffset Now => _time.GetUtcNow();

    private static string NewToken() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    private string NextId(string prefix) => $"{prefix}{Interlocked.Increment(ref _nextId)}";

    private void Raise(ConversationActivity activity)
    {
        try
        {
            Activity?.Invoke(activity);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "An activity observer failed for conversation {ConversationId}", activity.ConversationId);
        }
    }

    private void SweepFromTimer()
    {
        try
        {
            Sweep();
        }
        catch (Exception ex)
        {
            // A timer callback that throws would take the whole process down; the next tick tries again.
            _logger.LogError(ex, "Expiry sweep failed");
        }
    }

    /// <summary>Expires sessions and rings whose time is up.</summary>
    internal void Sweep()
    {
        lock (_gate)
        {
            var now = Now;
            foreach (var session in _allSessions.Where(s => s.IsLive && s.ExpiresAt <= now).ToList())
            {
                _counters.SessionsExpired++;
                EndSessionLocked(session, "Expired", CloseCodes.Unauthorized);
            }

            foreach (var conversation in _conversations.Values.Where(c => c.CurrentRing is { } r && r.ExpiresAt <= now).ToList())
            {
                ExpireRingLocked(conversation);
            }

            DispatchLocked();
        }
    }
}
