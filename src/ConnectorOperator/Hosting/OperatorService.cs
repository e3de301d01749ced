using ConnectorOperator.Api;
using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Hosting;

/// <summary>
/// Keeps the caches warm from start, and runs the controller's workers only while this replica leads:
/// on losing the lease the workers and the status poller stop at once and the queue is cleared.
/// </summary>
public sealed class OperatorService(
    OperatorCaches caches,
    Controller<AgentConnector> controller,
    ConnectorStatusPoller poller,
    LeaderElector? elector,
    OperatorMetrics metrics,
    ILogger<OperatorService> logger) : BackgroundService
{
    public bool CachesSynced => caches.Connectors.Store.HasSynced && caches.Pods.Store.HasSynced && caches.Secrets.Store.HasSynced && caches.Budgets.Store.HasSynced;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var informers = caches.RunAll(stoppingToken).ToArray();
        if (elector is null)
        {
            metrics.Leading(true);
            await LeadAsync(stoppingToken);
        }
        else
        {
            // A term ends when the lease is lost; stand again until shutdown.
            while (!stoppingToken.IsCancellationRequested)
            {
                await elector.RunAsync(
                async leading =>
                {
                    logger.LogInformation("Leading as {Identity}; reconciling AgentConnectors", elector.Identity);
                    metrics.Leading(true);
                    await LeadAsync(leading);
                },
                () =>
                {
                    controller.Queue.Clear();
                    metrics.Leading(false);
                    if (stoppingToken.IsCancellationRequested)
                        logger.LogInformation("Shutting down; leadership released");
                    else
                        logger.LogWarning("Lost leadership; workers stopped and queue cleared");
                },
                leader => logger.LogInformation("Current leader: {Leader}", leader),
                stoppingToken);
            }
        }
        await Task.WhenAll(informers);
    }

    /// <summary>The reconcile workers and the status poller, which wakes a connector (work under way) when its report changed.</summary>
    private Task LeadAsync(CancellationToken leading) =>
        Task.WhenAll(controller.RunWorkersAsync(leading), poller.RunAsync(key => controller.Queue.Add(key, QueuePriority.High), leading));
}
