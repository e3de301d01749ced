using System.Diagnostics;
using ConnectorOperator.TestSupport.Tools;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>The real kubectl binary pointed at a local cluster's kubeconfig, as a user would run it.</summary>
internal sealed class Kubectl(string program, string kubeconfig, string cacheDirectory)
{
    /// <summary>kubectl from PATH, or null when this machine has none (tests that need it are <see cref="KubectlFactAttribute"/>s and skip).</summary>
    public static string? Program { get; } = new ExternalTool("kubectl").Path;

    /// <summary>kubectl from PATH pointed at the run's kubeconfig.</summary>
    public static Kubectl Find(ClusterUnderTest run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var program = Program ?? throw new InvalidOperationException("kubectl is not on PATH: mark the test [KubectlFact] so it skips");
        return new Kubectl(program, run.KubeconfigPath ?? throw new InvalidOperationException("start the cluster with writeKubeconfig"),
            Path.Combine(run.Logs, "kubectl-cache"));
    }

    /// <summary>The same kubectl with another user's kubeconfig.</summary>
    public Kubectl With(string otherKubeconfig) => new(program, otherKubeconfig, cacheDirectory);

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory, .. arguments]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and fails the test with its output unless it exits 0.</summary>
    public async Task<string> SucceedAsync(params string[] arguments)
    {
        var (exit, stdout, stderr) = await RunAsync(arguments);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', arguments)} exited {exit}: {stdout}{stderr}");
        return stdout;
    }
}
