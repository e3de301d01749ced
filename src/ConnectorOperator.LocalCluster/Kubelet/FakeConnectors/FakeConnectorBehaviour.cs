using ConnectorOperator.Contracts;

namespace ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;

/// <summary>
/// How the fake connectors of one agent user answer (docs/connector-contract.md); tests and benchmarks change it on
/// the fly, and the next /readyz or /status shows it.
/// </summary>
public sealed class FakeConnectorBehaviour
{
    private int _failingStarts;

    public ConnectorReportState State { get; set; } = ConnectorReportState.Online;

    /// <summary>One of <see cref="ConnectorReasons"/>; it also decides which component reports NotConnected.</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public int ActiveConversations { get; set; }

    public int Capacity { get; set; } = ConnectorEnvironment.MaxCapacity;

    public int WaitingConversations { get; set; }

    public long OfferedAtCapacity { get; set; }

    /// <summary>Starts that fail (the container cannot start) before one succeeds; the kubelet retries after back-off.</summary>
    public int FailingStarts
    {
        get => Volatile.Read(ref _failingStarts);
        set => Volatile.Write(ref _failingStarts, value);
    }

    /// <summary>A component fails: Offline with the reason (for example <see cref="ConnectorReasons.BotUnreachable"/>) and its message.</summary>
    public void Fail(string reason, string message)
    {
        Reason = reason;
        Message = message;
        State = ConnectorReportState.Offline;
    }

    /// <summary>Back to Online with every component connected.</summary>
    public void Recover()
    {
        Reason = ConnectorReasons.Connected;
        Message = null;
        State = ConnectorReportState.Online;
    }

    /// <summary>True when this start is one of the <see cref="FailingStarts"/> (and uses it up).</summary>
    internal bool TakeFailingStart()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failingStarts);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref _failingStarts, left - 1, left) == left) return true;
        }
    }

    /// <summary>The reason names the failing component; without a login there is no Conversational Cloud session either.</summary>
    internal ConnectorComponents Components()
    {
        var login = Reason is ConnectorReasons.Unauthorized or ConnectorReasons.CredentialsMissing;
        var bot = Reason == ConnectorReasons.BotUnreachable;
        var cloud = State != ConnectorReportState.Online && !bot;
        return new ConnectorComponents
        {
            ConversationalCloud = Component(cloud, login || bot ? null : Message),
            Authentication = Component(login, Message),
            Bot = Component(bot, Message),
        };
    }

    private static ComponentReport Component(bool failing, string? message) => failing
        ? new ComponentReport { Status = ComponentState.NotConnected, Message = message }
        : new ComponentReport { Status = ComponentState.Connected };
}
