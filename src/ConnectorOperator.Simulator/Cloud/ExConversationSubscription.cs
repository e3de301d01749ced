namespace ConnectorOperator.Simulator.Cloud;

/// <summary>A <c>SubscribeExConversations</c> filter: no agent ids means every conversation (a manager's view).</summary>
internal sealed class ExConversationSubscription(string id, IReadOnlyList<string> agentIds, IReadOnlySet<string> states)
{
    public string Id { get; } = id;

    public bool CoversAgent(AgentUserRuntime? agent) =>
        agentIds.Count == 0 || (agent is not null && agentIds.Any(agent.IsIdentifiedBy));

    public bool CoversState(string state) => states.Count == 0 || states.Contains(state);
}
