using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Checks the tools/cel folder it is given and, on a fresh clone, installs its pinned npm packages once, even with parallel test processes.</summary>
internal static class CelToolInstaller
{
    private const string Script = "evaluate.mjs";

    public static string Locate(string directory)
    {
        var full = Path.GetFullPath(directory);
        return File.Exists(Path.Combine(full, Script))
            ? full
            : throw new InvalidOperationException($"{full} does not contain {Script}.");
    }

    public static void EnsureInstalled(string toolDirectory, NodeCelEvaluatorOptions options)
    {
        if (IsInstalled(toolDirectory))
        {
            return;
        }
        using var fileLock = AcquireLock(toolDirectory, options.InstallTimeout);
        if (IsInstalled(toolDirectory))
        {
            return;
        }
        RunNpmCi(toolDirectory, options);
        if (!IsInstalled(toolDirectory))
        {
            throw new InvalidOperationException($"npm ci in {toolDirectory} finished but @bufbuild/cel is still missing.");
        }
    }

    private static bool IsInstalled(string toolDirectory) =>
        File.Exists(Path.Combine(toolDirectory, "node_modules", "@bufbuild", "cel", "package.json"));

    // The lock lives in the temp folder so the repository stays clean; it is never deleted, since unlinking a
    // lock file while another process waits on it would let two holders exist at once.
    private static FileStream AcquireLock(string toolDirectory, TimeSpan timeout)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(toolDirectory)))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"connector-operator-cel-{hash}.lock");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void RunNpmCi(string toolDirectory, NodeCelEvaluatorOptions options)
    {
        var start = new ProcessStartInfo(options.NpmExecutable)
        {
            WorkingDirectory = toolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }
        using var npm = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {options.NpmExecutable}.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        if (!npm.WaitForExit(options.InstallTimeout))
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {toolDirectory} did not finish within {options.InstallTimeout}.");
        }
        npm.WaitForExit();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {toolDirectory} failed with exit code {npm.ExitCode}: {Tail(errors.Result)}{Tail(output.Result)}");
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
