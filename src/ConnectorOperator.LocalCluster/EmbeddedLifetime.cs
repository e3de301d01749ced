using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.LocalCluster;

/// <summary>
/// For a host that lives inside someone else's process (the double, or the operator inside the dev launcher): it must
/// not take over Ctrl+C or SIGTERM the way the default console lifetime does. It stops when disposed.
/// </summary>
public sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
