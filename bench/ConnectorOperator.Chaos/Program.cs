using ConnectorOperator.Chaos;

// make chaos: the run of 200 AgentConnectors, then the one of 10 real connectors with consumers; ARGS="--connectors 20"
// or ARGS="--real-connectors 10" runs only that one. Exits 1 when any invariant was violated.
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"chaos: {e.Message}");
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var results = new List<ChaosResult>();
if (options.RunFakeConnectors)
{
    results.Add(await ChaosRun.RunAsync(options, Console.Out, cancel.Token));
    Console.WriteLine(results[^1]);
}
if (options.RunRealConnectors)
{
    options.LogDirectory = Path.Combine(options.LogDirectory, "real-connectors");
    results.Add(await ConversationChaosRun.RunAsync(options, Console.Out, cancel.Token));
    Console.WriteLine(results[^1]);
}
return results.TrueForAll(r => r.Passed) ? 0 : 1;
