using System.Diagnostics;
using System.Text.RegularExpressions;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>The `make run` launcher as its own process, killed the way nothing can clean up after: SIGKILL.</summary>
public sealed partial class LauncherOrphanTests
{
    [Fact]
    public async Task Connector_processes_stop_when_their_launcher_is_killed_with_SIGKILL()
    {
        var repository = RepositoryLayout.Find(AppContext.BaseDirectory)!;
        // A repository of links, so the launcher's .local (kubeconfig, logs) stays out of the developer's own.
        var root = Directory.CreateTempSubdirectory("launcher-orphans-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, RepositoryLayout.SolutionFile), "");
            Directory.CreateSymbolicLink(Path.Combine(root, "tools"), Path.Combine(repository.Root, "tools"));
            Directory.CreateSymbolicLink(Path.Combine(root, "config"), Path.Combine(repository.Root, "config"));
            Directory.CreateDirectory(Path.Combine(root, "src", "ConnectorOperator.Connector"));
            Directory.CreateSymbolicLink(Path.Combine(root, "src", "ConnectorOperator.Connector", "bin"),
                Path.Combine(repository.Root, "src", "ConnectorOperator.Connector", "bin"));

            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "connector-operator-dev.dll"));
            start.ArgumentList.Add("--local");
            start.ArgumentList.Add("--no-traffic");
            start.Environment.Remove("KUBECONFIG");
            using var launcher = Process.Start(start)!;
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            launcher.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                output.Enqueue(e.Data);
                if (TwoConnectorsOnline().IsMatch(e.Data)) online.TrySetResult();
            };
            launcher.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null) output.Enqueue(e.Data);
            };
            launcher.BeginOutputReadLine();
            launcher.BeginErrorReadLine();

            int[] connectors;
            try
            {
                await online.Task.WaitAsync(TimeSpan.FromSeconds(120));
                connectors = ConnectorChildren(launcher.Id);
                Assert.True(connectors.Length >= 2, $"expected the demo's connector processes under the launcher, found {connectors.Length}");
            }
            catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
            {
                launcher.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"the launcher did not bring the demo Online: {e.Message}\n{string.Join("\n", output)}");
            }

            launcher.Kill(entireProcessTree: false);
            await launcher.WaitForExitAsync();

            // Each connector drains (its Conversational Cloud went with the launcher, so the logout fails fast) and exits.
            var watch = Stopwatch.StartNew();
            while (connectors.Any(Running) && watch.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200);
            var left = connectors.Where(Running).ToArray();
            foreach (var pid in left) KillQuietly(pid);
            Assert.True(left.Length == 0, $"connector processes {string.Join(", ", left)} outlived their SIGKILLed launcher by 30 s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [GeneratedRegex(@"Online\s+connectors [2-9]/[2-9] ready")]
    private static partial Regex TwoConnectorsOnline();

    /// <summary>Processes whose parent is <paramref name="parent"/> and that run the connector assembly (Linux /proc).</summary>
    private static int[] ConnectorChildren(int parent) =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent && CommandLine(pid).Contains("connector.dll", StringComparison.Ordinal))];

    private static int? ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? null : int.Parse(line["PPid:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Alive and not a zombie waiting for whoever inherited it to reap it.</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Gone meanwhile.
        }
    }
}
