using System.Diagnostics;
using System.Text;
using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Tests.Support;
using k8s.Models;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>
/// The operator as the image ships it: published with the Makefile's PUBLISH_FLAGS (trimmed, self-contained,
/// ReadyToRun; the Dockerfile uses the same line), run as its own native executable against the local cluster
/// through a TLS kubeconfig under the shipped RBAC. One slow test (a full publish), so it is the only one.
/// </summary>
public sealed class TrimmedPublishTests
{
    [Fact]
    public async Task The_trimmed_publish_has_no_trim_warnings_and_reconciles_an_AgentConnector_through_a_kubeconfig()
    {
        var work = Path.Combine(Path.GetTempPath(), "co-trimmed-" + Guid.NewGuid().ToString("N")[..8]);
        var output = Path.Combine(work, "out");
        try
        {
            // Its own artifacts folder: the publish restores for linux-x64 and must not touch the test build's obj/.
            var (exit, log) = await RunAsync("dotnet", [
                "publish", "src/ConnectorOperator/ConnectorOperator.csproj", .. DockerfileTests.MakefilePublishFlags().Split(' ', StringSplitOptions.RemoveEmptyEntries),
                "--artifacts-path", Path.Combine(work, "artifacts"), "-o", output, "-nologo",
            ], TimeSpan.FromMinutes(8));
            Assert.True(exit == 0, "publish failed:\n" + log);
            Assert.DoesNotMatch(@"warning IL\d{4}", log);
            Assert.DoesNotContain("Trim analysis warning", log, StringComparison.Ordinal);

            await using var h = await StartAsync(startOperator: false);
            await h.ApplyAsync(Connector("trimmed", users: 1));
            var start = new ProcessStartInfo(Path.Combine(output, "connector-operator"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "run", $"--Kubernetes:KubeconfigPath={h.OperatorKubeconfig}",
                "--Host:HealthAddress=http://127.0.0.1:0", "--Host:LeaderElection=false",
                "--Operator:DefaultImage=connector:test", $"--Operator:ConnectorPort={h.Connectors.Port}",
                "--Operator:StatusPollInterval=00:00:00.300", "--Logging:LogLevel:Default=Information",
            })
            {
                start.ArgumentList.Add(argument);
            }
            var lines = new StringBuilder();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null) lock (lines) lines.AppendLine(e.Data);
            };
            process.BeginOutputReadLine();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
                AgentConnector? seen = null;
                var pods = await h.Client.ListAsync<V1Pod>(ResourceType.Pod, Namespace);
                // The status is written before the pod is created: wait for both, or a loaded machine sees the status alone.
                while (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    seen = await h.Client.TryGetAsync<AgentConnector>(AgentConnector.Resource, Namespace, "trimmed");
                    pods = await h.Client.ListAsync<V1Pod>(ResourceType.Pod, Namespace);
                    if (seen?.Status?.ObservedGeneration == seen?.Metadata.Generation && seen?.Status is not null && pods.Items.Count > 0) break;
                    await Task.Delay(200);
                }
                string Output()
                {
                    lock (lines) return lines.ToString();
                }
                Assert.True(seen?.Status?.ObservedGeneration == seen?.Metadata.Generation && seen?.Status is not null,
                    $"the published operator wrote no status for generation {seen?.Metadata.Generation}:\n{Output()}");
                Assert.True(pods.Items.Any(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == AgentConnector.KindName && o.Name == "trimmed") == true),
                    $"the published operator created no connector pod:\n{Output()}");
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            Assert.DoesNotContain("MissingMethodException", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(int Exit, string Log)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryFiles.Root };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} took longer than {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
