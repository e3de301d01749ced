using BenchmarkDotNet.Running;

namespace ConnectorOperator.Benchmarks;

internal static class Program
{
    // `make bench` runs everything; `make bench ARGS="--filter *Watch*"` picks benchmarks.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
}
