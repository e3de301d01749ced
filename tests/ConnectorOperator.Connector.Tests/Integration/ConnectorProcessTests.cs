using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;
using ConnectorOperator.TestSupport.Tools;

namespace ConnectorOperator.Connector.Tests.Integration;

/// <summary>The built <c>connector</c> executable run as a child process, as a pod runs it.</summary>
public sealed class ConnectorProcessTests : IAsyncLifetime
{
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync() => _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private sealed class ChildProcess(Process process, StringBuilder stdout, StringBuilder stderr) : IDisposable
    {
        public Process Process { get; } = process;

        public string Stdout
        {
            get
            {
                lock (stdout)
                {
                    return stdout.ToString();
                }
            }
        }

        public string Stderr
        {
            get
            {
                lock (stderr)
                {
                    return stderr.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    private static ChildProcess Launch(Dictionary<string, string> env)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "connector.dll");
        Assert.True(File.Exists(dll), $"built connector not found at {dll}");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k!.StartsWith("CONNECTOR_", StringComparison.Ordinal) || k.StartsWith("LP_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key!);
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, stdout, stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Bad_configuration_exits_with_code_2_and_one_line_per_problem()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        env["CONNECTOR_ACCOUNT_ID"] = "12x";
        env["CONNECTOR_CONVERSATION_TYPE"] = "Voice";
        env.Remove("LP_APP_SECRET");
        env["LP_PASSWORD"] = "pw-value-secret";

        using var child = Launch(env);
        await child.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, child.Process.ExitCode);
        var lines = child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("CONNECTOR_ACCOUNT_ID must be digits only", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CONNECTOR_CONVERSATION_TYPE must be one of Messaging, Chat", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("both LP_PASSWORD and a partial API key", StringComparison.Ordinal));
        foreach (var secret in ConnectorHarness.Secrets(env))
        {
            Assert.DoesNotContain(secret, child.Stderr + child.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Executable_relays_messages_and_drains_on_sigterm()
    {
        var env = ConnectorHarness.Environment(_sim, "bot1");
        var port = FreePort();
        env["CONNECTOR_HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var child = Launch(env);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    var status = await http.GetFromJsonAsync<JsonObject>("status");
                    return status!["state"]!.GetValue<string>() == "Online";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "child connector Online",
            TimeSpan.FromSeconds(30));
        var conversation = _sim.OpenConversation("123", "10", "hello process");
        await Eventually.TrueAsync(
            () => _sim.GetState().Conversation(conversation).Messages.Any(m => m.Text == "You said: hello process"),
            "answer through the child connector");
        var metrics = await http.GetStringAsync("metrics");
        var text = new PrometheusText(metrics);
        var status = await http.GetFromJsonAsync<JsonObject>("status");
        Assert.Equal(1, text.Value("connector_conversations_accepted_total"));
        Assert.Equal(status!["activeConversations"]!.GetValue<int>(), text.Value("connector_active_conversations"));
        Assert.Equal(1, text.Value("connector_component_up{component=\"conversationalCloud\"}"));
        Assert.Equal(1, text.Value("connector_logins_total{result=\"ok\"}"));
        Assert.True(text.Sum("connector_messages_relayed_total", "toConsumer") >= 1, metrics);
        Assert.True(text.Value("process_cpu_seconds_total") > 0, "process metrics from prometheus-net's default collector");
        if (Promtool.Tool.Exists)
        {
            Promtool.AssertCleanMetrics(metrics);
        }

        using (var kill = Process.Start("kill", ["-TERM", child.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await child.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, child.Process.ExitCode);
        var state = _sim.GetState();
        Assert.Equal(1, state.Counters.Logouts);
        Assert.Equal("10", state.Conversation(conversation).SkillId);
        Assert.Null(state.Conversation(conversation).AssignedAgent);
        Assert.Contains("Drain requested", child.Stdout, StringComparison.Ordinal);
        foreach (var secret in ConnectorHarness.Secrets(env))
        {
            Assert.DoesNotContain(secret, child.Stdout + child.Stderr, StringComparison.Ordinal);
        }
    }
}
