using System.CommandLine;
using System.Runtime.InteropServices;
using ConnectorOperator.Dev;

var local = new Option<bool>("--local") { Description = "Start the local cluster even when a cluster is configured." };
var noTraffic = new Option<bool>("--no-traffic") { Description = "Do not start simulated consumers." };
var root = new RootCommand(
    "connector-operator-dev: with a cluster configured (in-cluster, KUBECONFIG, ~/.kube/config) runs the operator against it; " +
    "otherwise starts the local development cluster with the Conversational Cloud simulator and a demo bot. " +
    "Other arguments are operator configuration overrides (--Operator:DrainSeconds=10).")
{
    local,
    noTraffic,
};
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction(async parseResult =>
{
    using var stop = new CancellationTokenSource();
    // The launcher owns the signals so it can stop every piece (and every connector process) before it exits.
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    var launcher = new Launcher(Console.Out, Console.Error);
    return await launcher.RunAsync([.. parseResult.UnmatchedTokens], parseResult.GetValue(local), !parseResult.GetValue(noTraffic), stop.Token);

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        if (!stop.IsCancellationRequested) Console.Error.WriteLine("stopping...");
        stop.Cancel();
    }
});
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
