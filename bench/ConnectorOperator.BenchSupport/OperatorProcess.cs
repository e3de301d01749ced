using System.Diagnostics;
using System.Globalization;
using ConnectorOperator.LocalCluster.Kubelet;

namespace ConnectorOperator.Bench;

/// <summary>
/// One <c>connector-operator run</c> child process with its output in a log file. An exit nobody asked for
/// (<see cref="Kill"/> or <see cref="StopAsync"/>) is a crash. The operator is a .dll run on the shared runtime
/// (JIT) or a published, self-contained executable (as the image ships it).
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private volatile bool _exitExpected;

    private OperatorProcess(string identity, Process process, StreamWriter log)
    {
        Identity = identity;
        _process = process;
        _log = log;
    }

    /// <summary>Its name in the leader Lease.</summary>
    public string Identity { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Exited without being told to: a crash.</summary>
    public bool Crashed => _process.HasExited && !_exitExpected;

    public int ExitCode => _process.ExitCode;

    public int Pid => _process.Id;

    public string LogPath { get; private init; } = "";

    public static OperatorProcess Start(string operatorAssembly, string identity, IEnumerable<string> arguments, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, $"{identity}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        string[] run = ["run", $"--LeaderElection:Identity={identity}", .. arguments];
        var onRuntime = operatorAssembly.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(onRuntime ? "dotnet" : operatorAssembly, onRuntime ? [operatorAssembly, .. run] : run)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        void Write(string? line)
        {
            if (line is null) return;
            lock (log) log.WriteLine(line);
        }
        // Both pipes are drained, or a chatty operator blocks on a full pipe.
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(identity, process, log) { LogPath = logPath };
    }

    /// <summary>What the kernel says of the process now: resident memory, CPU time (user + system) and open file descriptors.</summary>
    public ProcessSample Sample()
    {
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        var rssKb = long.Parse(status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        // The fields after the parenthesised command name: utime and stime are the 12th and 13th, in USER_HZ (100 on Linux).
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessSample(rssKb / 1024.0, ticks / 100.0, Directory.GetFiles($"/proc/{Pid}/fd").Length);
    }

    /// <summary>SIGKILL, as a node failure or an OOM kill: no lease release, no cleanup.</summary>
    public void Kill()
    {
        _exitExpected = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGTERM and a wait, as a rolling update stops a replica; SIGKILL if it does not stop in time.</summary>
    public async Task StopAsync(TimeSpan patience)
    {
        _exitExpected = true;
        if (_process.HasExited) return;
        if (!UnixSignals.Terminate(_process)) Kill();
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}

public sealed record ProcessSample(double RssMb, double CpuSeconds, int FileDescriptors);
