using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ConnectorOperator.LocalCluster.Kubelet;

namespace ConnectorOperator.ScaleBench;

/// <summary>
/// <c>connector-operator run</c> as its own process (production defaults, leader election on), its output in a log
/// file, its /metrics on a port of its own, and what the kernel says of it (RSS, CPU, file descriptors).
/// </summary>
internal sealed class OperatorUnderTest : IAsyncDisposable
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly HttpClient _http;

    private OperatorUnderTest(Process process, StreamWriter log, Uri health)
    {
        _process = process;
        _log = log;
        _http = new HttpClient { BaseAddress = health, Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Pid => _process.Id;

    public static OperatorUnderTest Start(string assembly, IEnumerable<string> arguments, string logPath)
    {
        var port = FreePort();
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        // A .dll runs on the shared runtime (JIT); anything else is a published, self-contained executable (as the image ships it).
        string[] run = ["run", $"--Host:HealthAddress=http://127.0.0.1:{port}", .. arguments];
        var start = new ProcessStartInfo(assembly.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : assembly,
            assembly.EndsWith(".dll", StringComparison.Ordinal) ? [assembly, .. run] : run)
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
        return new OperatorUnderTest(process, log, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Waits until /metrics answers (the host is up; leadership and caches may still be coming).</summary>
    public async Task WaitUntilServingAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the operator exited with {_process.ExitCode}; see its log");
            try
            {
                using var response = await _http.GetAsync("metrics");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the operator did not serve /metrics within {limit}");
    }

    public async Task<OperatorMetricsSample> ScrapeAsync() => OperatorMetricsSample.Parse(await _http.GetStringAsync("metrics"));

    public ProcessSample Sample()
    {
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        var rssKb = long.Parse(status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var fds = Directory.GetFiles($"/proc/{Pid}/fd").Length;
        return new ProcessSample(rssKb / 1024.0, (double)ticks / TicksPerSecond, fds);
    }

    /// <summary>SIGTERM (the Lease is released, as in a rolling update) and a wait.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        if (!UnixSignals.Terminate(_process)) _process.Kill(entireProcessTree: true);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _http.Dispose();
        lock (_log) _log.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal sealed record ProcessSample(double RssMb, double CpuSeconds, int FileDescriptors);
