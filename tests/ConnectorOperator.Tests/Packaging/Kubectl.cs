using System.Diagnostics;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>Runs the local kubectl binary; only commands that need no cluster (kustomize).</summary>
internal static class Kubectl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string? Path { get; } = Find();

    /// <summary>`kubectl kustomize DIR`: the manifests `kubectl apply -k DIR` would send.</summary>
    public static string Kustomize(string directory)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("kubectl is not on PATH"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish within {Timeout}");
        }
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl"))
            .FirstOrDefault(File.Exists);
}
