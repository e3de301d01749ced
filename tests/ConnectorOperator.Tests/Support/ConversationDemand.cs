using ConnectorOperator.Reconciliation;

namespace ConnectorOperator.Tests.Support;

/// <summary>
/// Consumers as the routing service sees them: a number of concurrent conversations spread over the connectors
/// that are ready, never more than a connector's capacity each; the rest wait in the skill's queue. When the
/// service routes past the connectors' capacity (the bot agent users' own limit is higher), the waiting
/// conversations ring the full connectors, which report them as waiting.
/// </summary>
public sealed class ConversationDemand : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public static ConversationDemand Start(OperatorHarness harness, string connector, int conversations, int perConnector, bool routedPastCapacity = false)
    {
        var demand = new ConversationDemand();
        _ = Task.Run(async () =>
        {
            while (!demand._stop.IsCancellationRequested)
            {
                var remaining = conversations;
                var ready = (await harness.PodsAsync(connector))
                    .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
                    .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
                    .Select(p => harness.Connectors.For(p.Metadata.Annotations![ConnectorLabels.AgentUser]))
                    .ToList();
                foreach (var behaviour in ready)
                {
                    var take = Math.Min(perConnector, remaining);
                    behaviour.ActiveConversations = take;
                    remaining -= take;
                }

                for (var i = 0; i < ready.Count; i++)
                {
                    // Each waiting conversation rings one connector at a time.
                    var waiting = routedPastCapacity ? (remaining / ready.Count) + (i < remaining % ready.Count ? 1 : 0) : 0;
                    if (waiting > ready[i].WaitingConversations) ready[i].OfferedAtCapacity += waiting - ready[i].WaitingConversations;
                    ready[i].WaitingConversations = waiting;
                }
                await Task.Delay(100);
            }
        });
        return demand;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
