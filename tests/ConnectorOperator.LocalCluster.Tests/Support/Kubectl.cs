using System.Diagnostics;
using System.Text;

namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>Runs the real kubectl against a double with its own kubeconfig, HOME and discovery cache.</summary>
internal sealed class Kubectl : IDisposable
{
    private readonly string _directory;
    private readonly string _kubeconfig;

    /// <param name="token">Authenticate with this token instead of as the admin.</param>
    public Kubectl(ApiServerDouble server, string? token = null)
    {
        _directory = Path.Combine(Path.GetTempPath(), $"kubectl-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "kubeconfig");
        _kubeconfig = token is null ? server.WriteKubeconfig(path) : server.WriteKubeconfig(path, token);
    }

    public static bool IsInstalled { get; } = Probe();

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in time");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and fails the test with its output when it exits non-zero.</summary>
    public async Task<string> SucceedAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}\nstdout: {output}\nstderr: {error}");
        return output;
    }

    /// <summary>A long-running kubectl (get -w); read its lines, then dispose to kill it.</summary>
    public LongRunning Start(params string[] args) => new(Process.Start(StartInfo(args))!);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed kubectl may still hold its cache for a moment; the temp folder is disposable.
        }
    }

    private ProcessStartInfo StartInfo(string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(_directory, "cache"));
        info.Environment["KUBECONFIG"] = _kubeconfig;
        info.Environment["KUBECACHEDIR"] = Path.Combine(_directory, "cache");
        info.Environment["HOME"] = _directory;
        info.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        return info;
    }

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("kubectl", "version --client") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            process.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    internal sealed class LongRunning(Process process) : IDisposable
    {
        private readonly StringBuilder _seen = new();

        /// <summary>Reads stdout lines until one contains <paramref name="text"/>.</summary>
        public async Task<string> WaitForLineAsync(string text, TimeSpan? timeout = null)
        {
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            while (true)
            {
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"no line containing '{text}'; saw:\n{_seen}\nstderr: {await ReadErrorsAsync()}");
                }

                if (line is null)
                {
                    throw new InvalidOperationException($"kubectl ended before printing '{text}'; saw:\n{_seen}\nstderr: {await ReadErrorsAsync()}");
                }

                _seen.AppendLine(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }

            process.Dispose();
        }

        private async Task<string> ReadErrorsAsync()
        {
            if (!process.HasExited)
            {
                return "(still running)";
            }

            return await process.StandardError.ReadToEndAsync();
        }
    }
}
