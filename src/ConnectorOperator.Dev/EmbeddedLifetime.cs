using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.Dev;

/// <summary>
/// For the operator host inside the dev launcher: the launcher owns Ctrl+C and SIGTERM, so the host must not take
/// them over the way the default console lifetime does. It stops when disposed.
/// </summary>
public sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
