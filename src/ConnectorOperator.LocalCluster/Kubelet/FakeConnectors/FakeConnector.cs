using ConnectorOperator.Contracts;

namespace ConnectorOperator.LocalCluster.Kubelet.FakeConnectors;

/// <summary>
/// One pod's fake connector: no server of its own, just the state the fleet's listener answers from for requests
/// addressed to the pod's IP. Disposed when the kubelet stops the pod; <see cref="Crash"/> makes it exit by itself.
/// </summary>
public sealed class FakeConnector : ISimulatedContainer
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<FakeConnector> _stopped;
    private volatile bool _draining;

    internal FakeConnector(string pod, string agentUser, string? revision, string address, FakeConnectorBehaviour behaviour, Action<FakeConnector> stopped)
    {
        Pod = pod;
        AgentUser = agentUser;
        Revision = revision;
        Address = address;
        Behaviour = behaviour;
        _stopped = stopped;
    }

    public string Pod { get; }

    public string AgentUser { get; }

    public string? Revision { get; }

    /// <summary>The pod IP it answers on.</summary>
    public string Address { get; }

    public FakeConnectorBehaviour Behaviour { get; }

    public bool Draining => _draining;

    public Task<int> Exited => _exited.Task;

    public bool Ready => Behaviour.State == ConnectorReportState.Online && !_draining;

    internal void Drain() => _draining = true;

    /// <summary>The process dies: it stops answering at once and the kubelet sees the exit code.</summary>
    public void Crash(int exitCode = 1)
    {
        _stopped(this);
        _exited.TrySetResult(exitCode);
    }

    internal ConnectorStatusReport Report() => new()
    {
        State = _draining ? ConnectorReportState.Draining : Behaviour.State,
        Reason = _draining ? ConnectorReasons.Draining : Behaviour.Reason,
        Message = Behaviour.Message,
        AgentUser = AgentUser,
        Revision = Revision,
        ActiveConversations = Behaviour.ActiveConversations,
        Capacity = Behaviour.Capacity,
        WaitingConversations = Behaviour.WaitingConversations,
        OfferedAtCapacity = Behaviour.OfferedAtCapacity,
        Draining = _draining,
        Components = Behaviour.Components(),
    };

    public ValueTask DisposeAsync()
    {
        _stopped(this);
        return ValueTask.CompletedTask;
    }
}
