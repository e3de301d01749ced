using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.Simulator.Http;

/// <summary>
/// The simulator lives inside test processes and the CLI: it must not take over Ctrl+C or SIGTERM
/// (the default console lifetime would, and keep the process alive). Its owner decides when it stops.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
