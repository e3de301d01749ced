namespace ConnectorOperator.Simulator.Faults;

/// <summary>Runtime switches tests flip to make the service misbehave. Thread-safe.</summary>
public sealed class SimulatorFaults
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _refusedLogins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _refreshFailures = new(StringComparer.Ordinal);
    private readonly List<RequestFaultSlot> _requestFaults = [];
    private TimeSpan? _botLatency;
    private int? _botFailureStatus;

    /// <summary>Logins of this user fail with 401 until <see cref="AllowLogins"/>.</summary>
    public void RefuseLogins(string accountId, string loginName)
    {
        lock (_gate)
        {
            _refusedLogins.Add(Key(accountId, loginName));
        }
    }

    public void AllowLogins(string accountId, string loginName)
    {
        lock (_gate)
        {
            _refusedLogins.Remove(Key(accountId, loginName));
        }
    }

    /// <summary>The user's next refresh (or next <paramref name="times"/>) returns 401 and ends that session.</summary>
    public void FailNextRefresh(string accountId, string loginName, int times = 1)
    {
        lock (_gate)
        {
            _refreshFailures[Key(accountId, loginName)] = _refreshFailures.GetValueOrDefault(Key(accountId, loginName)) + times;
        }
    }

    public void AddRequestFault(RequestFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _requestFaults.Add(new RequestFaultSlot(fault, fault.Times));
        }
    }

    /// <summary>The sample bot waits this long (null: its configured latency) before answering.</summary>
    public void SetBotLatency(TimeSpan? latency)
    {
        lock (_gate)
        {
            _botLatency = latency;
        }
    }

    /// <summary>The sample bot fails every call with this status (null: as configured).</summary>
    public void SetBotFailure(int? status)
    {
        lock (_gate)
        {
            _botFailureStatus = status;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _refusedLogins.Clear();
            _refreshFailures.Clear();
            _requestFaults.Clear();
            _botLatency = null;
            _botFailureStatus = null;
        }
    }

    public bool IsLoginRefused(string accountId, string loginName)
    {
        lock (_gate)
        {
            return _refusedLogins.Contains(Key(accountId, loginName));
        }
    }

    public bool TakeRefreshFailure(string accountId, string loginName)
    {
        lock (_gate)
        {
            var key = Key(accountId, loginName);
            if (_refreshFailures.GetValueOrDefault(key) <= 0)
            {
                return false;
            }

            _refreshFailures[key]--;
            return true;
        }
    }

    /// <summary>The fault to apply to this request now, counting it down.</summary>
    public RequestFault? TakeRequestFault(string requestType)
    {
        lock (_gate)
        {
            var slot = _requestFaults.FirstOrDefault(s => string.Equals(s.Fault.RequestType, requestType, StringComparison.Ordinal));
            if (slot is null)
            {
                return null;
            }

            if (slot.Remaining is { } remaining)
            {
                if (remaining <= 1)
                {
                    _requestFaults.Remove(slot);
                }
                else
                {
                    slot.Remaining = remaining - 1;
                }
            }

            return slot.Fault;
        }
    }

    internal (TimeSpan? Latency, int? FailureStatus) BotOverrides()
    {
        lock (_gate)
        {
            return (_botLatency, _botFailureStatus);
        }
    }

    private static string Key(string accountId, string loginName) => accountId + "/" + loginName;

    private sealed class RequestFaultSlot(RequestFault fault, int? remaining)
    {
        public RequestFault Fault { get; } = fault;

        public int? Remaining { get; set; } = remaining;
    }
}
