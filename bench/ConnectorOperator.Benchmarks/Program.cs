using BenchmarkDotNet.Running;

namespace ConnectorOperator.Benchmarks;

internal static class Program
{
    // `make bench` runs everything; `make bench ARGS="--filter *Watch*"` picks benchmarks;
    // `make bench ARGS="cache-memory"` measures what a pod cache retains.
    public static async Task Main(string[] args)
    {
        if (args is ["cache-memory", ..])
        {
            await CachedPodMemory.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000, args.Length > 2 ? args[2] : null);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
    }
}
