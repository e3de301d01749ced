using System.Diagnostics;

namespace ConnectorOperator.TestSupport.Tools;

/// <summary>A program found on PATH (Debian's promtool, lua5.1, prometheus), run with a bounded wait.</summary>
public sealed class ExternalTool(string name)
{
    public string Name { get; } = name;

    public string? Path { get; } = Find(name);

    public bool Exists => Path is not null;

    /// <summary>Runs it to completion; a run longer than <paramref name="timeout"/> is killed and fails.</summary>
    public ToolResult Run(IEnumerable<string> arguments, string? stdin = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException($"{Name} is not on PATH"))
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
