using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.LocalCluster;

/// <summary>
/// The double lives inside someone else's process: it must not take over Ctrl+C or SIGTERM the way the default
/// console lifetime does. It stops when disposed.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
