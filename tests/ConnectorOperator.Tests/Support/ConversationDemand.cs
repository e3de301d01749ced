using ConnectorOperator.Reconciliation;

namespace ConnectorOperator.Tests.Support;

/// <summary>
/// Consumers as the routing service sees them: a number of concurrent conversations spread over the connectors
/// that are ready, never more than a connector's capacity each; the rest wait in the skill's queue.
/// </summary>
public sealed class ConversationDemand : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public static ConversationDemand Start(OperatorHarness harness, string connector, int conversations, int perConnector)
    {
        var demand = new ConversationDemand();
        _ = Task.Run(async () =>
        {
            while (!demand._stop.IsCancellationRequested)
            {
                var remaining = conversations;
                var ready = (await harness.PodsAsync(connector))
                    .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
                    .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal);
                foreach (var pod in ready)
                {
                    var take = Math.Min(perConnector, remaining);
                    harness.Connectors.For(pod.Metadata.Annotations![ConnectorLabels.AgentUser]).ActiveConversations = take;
                    remaining -= take;
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
