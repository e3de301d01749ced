using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Tests;

/// <summary>The built executable as the local demo runs it.</summary>
public sealed class SimulatorProcessTests
{
    [Fact]
    public async Task Serve_prints_its_addresses_as_one_json_line_and_exits_0_on_sigterm()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "simulator.dll"), "serve", "--port", "0", "--config", Path.Combine(AppContext.BaseDirectory, "sim.sample.json") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var addresses = JsonNode.Parse(line!)!;
            var csds = new Uri(addresses["csds"]!.GetValue<string>());
            Assert.Equal("127.0.0.1", csds.Host);
            Assert.Equal(csds.Port, addresses["port"]!.GetValue<int>());
            Assert.Equal(new Uri(csds, "/bot"), new Uri(addresses["bot"]!.GetValue<string>()));
            using var http = new HttpClient { BaseAddress = csds };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/account/123/service/baseURI.json?version=1.0")).StatusCode);

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
