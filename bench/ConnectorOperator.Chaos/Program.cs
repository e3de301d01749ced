using ConnectorOperator.Chaos;

// make chaos ARGS="--connectors 200 --duration 180s": exits 1 when any invariant was violated.
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
var result = await ChaosRun.RunAsync(options, Console.Out, cancel.Token);
Console.WriteLine(result);
return result.Passed ? 0 : 1;
