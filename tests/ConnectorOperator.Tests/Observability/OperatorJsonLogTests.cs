using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Tests.Support;
using k8s.Models;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Observability;

public sealed class OperatorJsonLogTests
{
    [Fact]
    public async Task Json_format_writes_one_object_per_line_with_the_agentconnector_key_and_no_credential()
    {
        await using var h = await StartAsync(startOperator: false);
        // The operator's ServiceAccount token, which its kubeconfig carries: it must never reach a log.
        var token = h.OperatorToken;
        // The credentials carry values distinctive enough that any leak would be found below.
        string[] secretValues = ["appkey-9d2e", "appsecret-41ab", "accesstoken-77f0", "tokensecret-c3d5"];
        await h.Client.CreateAsync(ResourceType.Secret, new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "jsonlogs-user1", NamespaceProperty = OperatorHarness.Namespace },
            StringData = new Dictionary<string, string> { ["appKey"] = secretValues[0], ["appSecret"] = secretValues[1], ["accessToken"] = secretValues[2], ["accessTokenSecret"] = secretValues[3] },
        });
        await h.ApplyAsync(Connector("jsonlogs", users: 1));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "connector-operator.dll"), "run",
            $"--Kubernetes:KubeconfigPath={h.OperatorKubeconfig}",
            "--Host:HealthAddress=http://127.0.0.1:0", "--Host:LeaderElection=false",
            "--Operator:DefaultImage=connector:test", "--Logging:Format=json", "--Logging:LogLevel:Default=Debug",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var lines = new List<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (lines) lines.Add(e.Data);
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        string[] Lines()
        {
            lock (lines) return [.. lines];
        }
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && !Lines().Any(l => l.Contains("Created connector", StringComparison.Ordinal))) await Task.Delay(100);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var output = Lines();
        Assert.True(output.Any(l => l.Contains("Created connector", StringComparison.Ordinal)), "no 'Created connector' line:\n" + string.Join('\n', output) + await stderr);
        var objects = output.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(objects, o => Assert.Equal(JsonValueKind.Object, o.ValueKind));
        var created = objects.First(o => o.GetProperty("Message").GetString()!.StartsWith("Created connector", StringComparison.Ordinal));
        var scope = created.GetProperty("Scopes").EnumerateArray().First(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("Name", out _));
        Assert.Equal("bots", scope.GetProperty("Namespace").GetString());
        Assert.Equal("jsonlogs", scope.GetProperty("Name").GetString());
        Assert.Equal("AgentConnector", scope.GetProperty("Kind").GetString());

        var everything = string.Join('\n', output) + await stderr;
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        foreach (var secretValue in secretValues)
            Assert.DoesNotContain(secretValue, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(token)), everything, StringComparison.Ordinal);
    }
}
