using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ConnectorOperator.Bench;

namespace ConnectorOperator.ScaleBench;

/// <summary>The operator process of a scale run, with its /metrics on a port of its own.</summary>
internal sealed class OperatorUnderTest : IAsyncDisposable
{
    private readonly OperatorProcess _process;
    private readonly HttpClient _http;

    private OperatorUnderTest(OperatorProcess process, Uri health)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = health, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string LogPath => _process.LogPath;

    public static OperatorUnderTest Start(string assembly, string identity, IEnumerable<string> arguments, string logDirectory)
    {
        var port = FreePort();
        var process = OperatorProcess.Start(assembly, identity, [$"--Host:HealthAddress=http://127.0.0.1:{port}", .. arguments], logDirectory);
        return new OperatorUnderTest(process, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Waits until /metrics answers (the host is up; leadership and caches may still be coming).</summary>
    public async Task WaitUntilServingAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the operator exited with {_process.ExitCode}; see {_process.LogPath}");
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

    public ProcessSample Sample() => _process.Sample();

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first: the Lease is released, as in a rolling update.
        await _process.DisposeAsync();
        _http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
