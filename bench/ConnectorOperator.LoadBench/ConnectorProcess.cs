using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LoadBench;

/// <summary>
/// The real connector executable as a child process, as a pod runs it: its own process makes memory and CPU
/// attributable to the connector alone, not to the simulator and consumers in the bench process.
/// </summary>
internal sealed class ConnectorProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly HttpClient _http;

    private ConnectorProcess(Process process, int port)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Id => _process.Id;

    /// <summary>The last lines the connector wrote, for a failure message.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    public static ConnectorProcess Start(string connectorDll, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [connectorDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // A developer's shell may carry connector settings; the child must see only ours.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CONNECTOR_", StringComparison.Ordinal) || k.StartsWith("LP_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["CONNECTOR_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["CONNECTOR_HTTP_ADDRESS"] = "127.0.0.1";

        var process = new Process { StartInfo = start };
        var child = new ConnectorProcess(process, port);

        // Both pipes must be drained or a chatty connector blocks on a full pipe and the numbers lie.
        process.OutputDataReceived += (_, e) => child.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => child.Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task WaitOnlineAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the connector exited with code {_process.ExitCode}:{Environment.NewLine}{Tail}");
            }

            try
            {
                var status = JsonNode.Parse(await _http.GetStringAsync(new Uri("status", UriKind.Relative), ct));
                if (status?["state"]?.GetValue<string>() == "Online")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"the connector was not Online within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail}");
    }

    /// <summary>Memory and CPU of the child right now.</summary>
    public ProcessSample Sample()
    {
        _process.Refresh();
        return new ProcessSample(Stopwatch.GetTimestamp(), _process.WorkingSet64, _process.PrivateMemorySize64, _process.TotalProcessorTime);
    }

    public async Task<ConnectorCounters> ScrapeAsync(CancellationToken ct) =>
        ConnectorCounters.Parse(await _http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct));

    public async Task<int> ActiveConversationsAsync(CancellationToken ct) => (int)(await ScrapeAsync(ct)).ActiveConversations;

    /// <summary>Kills the child and its tree; safe to call more than once and from a process-exit handler.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
