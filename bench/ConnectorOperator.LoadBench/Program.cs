using ConnectorOperator.LoadBench;

// One connector child process against the in-process simulator, for each conversation count in turn.
var options = LoadBenchOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"loadbench: {error}");
    await Console.Error.WriteLineAsync(LoadBenchOptions.Usage);
    return 2;
}

var connectorDll = ConnectorLocator.Find(options.ConnectorPath);
if (connectorDll is null)
{
    await Console.Error.WriteLineAsync("loadbench: the built connector (connector.dll) was not found; build src/ConnectorOperator.Connector or pass --connector");
    return 2;
}

// Whatever ends the bench (an exception, Ctrl+C, the process exiting) the child connector must not outlive it.
ConnectorProcess? current = null;
var gate = new Lock();
void Track(ConnectorProcess? child)
{
    lock (gate)
    {
        current = child;
    }
}

void KillCurrent()
{
    lock (gate)
    {
        current?.Kill();
    }
}

using var cancel = new CancellationTokenSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => KillCurrent();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
    KillCurrent();
};

var machine = MachineDescription.Now();
Console.WriteLine($"loadbench: connector {connectorDll}; load average {machine.LoadBefore}");
var results = new List<LoadRunResult>();
try
{
    foreach (var n in options.ConversationCounts)
    {
        Console.WriteLine($"loadbench: {n} conversations for {options.Duration.TotalSeconds:0} s at {options.Rate} messages/s each");
        results.Add(await new LoadRun(options, connectorDll, n, Console.Out).RunAsync(Track, cancel.Token));
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("loadbench: cancelled");
    return 130;
}
finally
{
    KillCurrent();
}

machine.LoadAfter = MachineDescription.LoadAverage();
var table = MarkdownReport.Render(options, results, machine);
Console.WriteLine();
Console.WriteLine(table);
var directory = Path.GetDirectoryName(Path.GetFullPath(options.Output));
if (directory is not null)
{
    Directory.CreateDirectory(directory);
}

await File.WriteAllTextAsync(options.Output, table);
Console.WriteLine($"loadbench: written to {options.Output}");

// Lost conversations are a failure, not a number.
return results.Any(r => r.Lost > 0) ? 1 : 0;
