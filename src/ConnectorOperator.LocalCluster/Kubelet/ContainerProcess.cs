using System.Diagnostics;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// One run of a container as a local process: a clean environment (the pod's variables plus the few the program
/// needs to start), stdout and stderr appended to the pod's log file, SIGTERM and SIGKILL for stopping it, and
/// standard input a pipe held open for as long as this process lives.
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();

    private ContainerProcess(Process process, StreamWriter log, DateTimeOffset startedAt)
    {
        _process = process;
        _log = log;
        StartedAt = startedAt;
        Exited = WaitAsync();
    }

    public int Id => _process.Id;

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes with the exit code (128 + signal when killed by one) once the output is flushed.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static ContainerProcess Start(ContainerCommand command, IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> inheritedVariables, string logPath, string logHeader, DateTimeOffset now, string? sessionLauncher = null)
    {
        // setsid execs the program in place (same pid) in a new session, away from the terminal's signals.
        var info = new ProcessStartInfo(sessionLauncher ?? command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        if (sessionLauncher is not null) info.ArgumentList.Add(command.FileName);
        foreach (var argument in command.Arguments.Concat(extraArguments)) info.ArgumentList.Add(argument);
        // A container does not see the host's environment; the program only needs a few variables to start.
        var inherited = inheritedVariables.ToHashSet(StringComparer.Ordinal);
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (!inherited.Contains(name)) info.Environment.Remove(name);
        }
        foreach (var (name, value) in environment) info.Environment[name] = value;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        // One file per pod across restarts: a marker line says where each run starts.
        log.WriteLine(logHeader);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            log.Dispose();
            throw;
        }
        LiveProcesses.Add(process);
        // Standard input stays open and unwritten: the kernel closes it when this process ends, however it ends,
        // which is how a program given ContainerCommand.ParentPipeVariable learns to stop.
        var container = new ContainerProcess(process, log, now);
        process.OutputDataReceived += (_, e) => container.Append(e.Data);
        process.ErrorDataReceived += (_, e) => container.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return container;
    }

    /// <summary>SIGTERM; a process that cannot be signalled is killed.</summary>
    public void Terminate()
    {
        if (HasExited) return;
        if (!UnixSignals.Terminate(_process)) Kill();
    }

    /// <summary>SIGKILL for the process and everything it started.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A line after the process ended and the log closed.
            }
        }
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        LiveProcesses.Remove(_process);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        LiveProcesses.Remove(_process);
        lock (_logLock) _log.Dispose();
        _process.Dispose();
    }
}
