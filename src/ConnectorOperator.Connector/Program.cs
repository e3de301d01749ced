using System.Runtime.InteropServices;
using ConnectorOperator.Connector;
using ConnectorOperator.Connector.Configuration;

var settings = ConnectorSettings.FromEnvironment(out var errors);
if (settings is null)
{
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync($"connector: invalid configuration: {error}");
    }

    return 2;
}

ConnectorHost host;
try
{
    host = await ConnectorHost.StartAsync(settings);
}
catch (IOException ex)
{
    // Kestrel reports a taken or unavailable address this way.
    await Console.Error.WriteLineAsync($"connector: cannot serve health on {settings.HttpAddress}:{settings.HttpPort}: {ex.Message}");
    return 1;
}

await using var running = host;
if (ParentPipe.Enabled(Environment.GetEnvironmentVariable(ConnectorOperator.Contracts.ConnectorEnvironment.StopWhenStdinCloses)))
{
    ParentPipe.Watch(Console.OpenStandardInput(), () =>
    {
        Console.Error.WriteLine("connector: the process that started this connector is gone (standard input closed): draining");
        host.RequestDrain();
    });
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Drain);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Drain);
return await host.Completion;

void Drain(PosixSignalContext context)
{
    // Keep the process alive: the drain decides when to exit.
    context.Cancel = true;
    host.RequestDrain();
}
