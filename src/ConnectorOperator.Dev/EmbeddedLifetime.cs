using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.Dev;

/// <summary>The operator host runs inside the launcher: the launcher, not the host, owns Ctrl-C and SIGTERM.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
