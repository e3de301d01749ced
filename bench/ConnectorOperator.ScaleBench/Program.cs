using System.Globalization;
using System.Text.Json;
using ConnectorOperator.ScaleBench;

// make bench-scale ARGS="--connectors 100,1000 --steady 60s": writes docs/benchmarks/scale.json and prints a table.
ScaleOptions options;
try
{
    options = ScaleOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"bench-scale: {e.Message}");
    return 2;
}
if (!File.Exists(options.OperatorAssembly))
{
    await Console.Error.WriteLineAsync($"bench-scale: {options.OperatorAssembly} is missing (build the bench: it references the operator)");
    return 2;
}

var report = new ScaleReport
{
    MeasuredAt = DateTimeOffset.UtcNow,
    Command = "make bench-scale" + (args.Length == 0 ? "" : $" ARGS=\"{string.Join(' ', args)}\""),
    Processors = Environment.ProcessorCount,
};
foreach (var n in options.Counts)
{
    Console.WriteLine($"bench-scale: {n} AgentConnectors");
    report.Runs.Add(await ScaleRun.RunAsync(n, options, Console.Out));
}

var output = Path.IsPathRooted(options.Output) ? options.Output : Path.Combine(RepositoryRoot(), options.Output);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, ScaleJsonContext.Default.ScaleReport) + "\n");
Console.WriteLine($"bench-scale: wrote {output}");
Console.WriteLine();
Console.WriteLine("| N | all Online | p50 / p99 | writes / CR | steady writes (no Lease) | polls/s | RSS | GC heap | fds / pod | edit → observed / rolled out | pod deleted → replaced | load → pod | start → reconcile | load avg |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
foreach (var r in report.Runs)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.N:N0} | {(r.Complete ? "" : "> ")}{r.AllOnlineSeconds:F1} s{(r.Complete ? "" : $" ({r.Online:N0} Online)")} | {r.P50Seconds:F1} / {r.P99Seconds:F1} s | {r.WritesPerConnector:F2} | {r.SteadyWrites:F0} | {r.StatusPollsPerSecond:F0} | {r.OperatorRssMb:F0} MB | {r.GcHeapMb:F0} MB | {r.FdsPerPod:F3} | {r.ConfigEditToObservedSeconds:F2} / {r.ConfigEditToRolledOutSeconds:F1} s | {r.PodDeletedToReplacementSeconds:F2} s | {r.LoadToPodRequestedSeconds:F1} s | {r.StartToFirstReconcileSeconds:F2} s | {r.LoadAverageBefore} → {r.LoadAverageAfter} |"));
}
return 0;

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "ConnectorOperator.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
