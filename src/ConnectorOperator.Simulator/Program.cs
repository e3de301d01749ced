using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cli;
using ConnectorOperator.Simulator.Consumers;
using ConnectorOperator.Simulator.Options;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Simulator;

/// <summary>
/// <c>simulator serve [--port N] [--config sim.json]</c> prints one JSON line with its addresses and runs
/// until stopped; <c>simulator drive --address URL ...</c> plays consumers against a running simulator.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Conversational Cloud simulator: loopback agent APIs, a sample bot and consumers.");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(DriveCommand());
        return await root.Parse(args).InvokeAsync();
    }

    private static Command ServeCommand()
    {
        var port = new Option<int?>("--port") { Description = "Loopback port (0: any free port). Overrides the configuration." };
        var config = new Option<FileInfo?>("--config") { Description = "JSON configuration (SimulatorOptions); the built-in demo accounts when absent." };
        var verbose = new Option<bool>("--verbose") { Description = "Log to standard error." };
        var command = new Command("serve", "Serve the simulated service until stopped.") { port, config, verbose };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config);
            SimulatorOptions options;
            try
            {
                options = file is null ? SimulatorOptions.CreateDefault() : SimulatorOptions.FromJson(await File.ReadAllTextAsync(file.FullName, ct));
                options.Validate();
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or IOException)
            {
                await Console.Error.WriteLineAsync($"simulator: bad configuration: {ex.Message}");
                return 2;
            }

            if (result.GetValue(port) is { } chosen)
            {
                options.Port = chosen;
            }

            using var logging = LoggerFactory.Create(b =>
            {
                b.SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning);
                b.AddFilter("Microsoft", LogLevel.Warning);
                b.AddSimpleConsole(o => o.SingleLine = true);
                b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
            await using var simulator = await ConversationalCloudSimulator.StartAsync(options, logging, ct);
            Console.WriteLine(new JsonObject
            {
                ["csds"] = simulator.CsdsAddress.ToString().TrimEnd('/'),
                ["bot"] = simulator.BotAddress.ToString(),
                ["control"] = simulator.ControlAddress.ToString(),
                ["port"] = simulator.Port,
            }.ToJsonString());
            // Stop cleanly on Ctrl+C or SIGTERM (the local demo stops it that way) and exit 0.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }

            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            return 0;
        });
        return command;
    }

    private static Command DriveCommand()
    {
        var address = new Option<Uri>("--address")
        {
            Description = "The running simulator's root, e.g. http://127.0.0.1:5000.",
            Required = true,
            CustomParser = argument =>
            {
                var token = argument.Tokens.Count > 0 ? argument.Tokens[0].Value : "";
                if (Uri.TryCreate(token, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                argument.AddError($"'{token}' is not an http address.");
                return null;
            },
        };
        var account = new Option<string>("--account") { Description = "Account id.", DefaultValueFactory = _ => "123" };
        var skill = new Option<string>("--skill") { Description = "Skill the conversations open on.", DefaultValueFactory = _ => "10" };
        var conversations = new Option<int>("--conversations") { Description = "Concurrent conversations.", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Messages per conversation per second after the first.", DefaultValueFactory = _ => 0.2 };
        var duration = DurationOption("--duration", "How long to keep sending (60s, 500ms, 2m).", TimeSpan.FromSeconds(60));
        var answerTimeout = DurationOption("--answer-timeout", "How long an answer may take; also the grace at the end.", TimeSpan.FromSeconds(30));
        var openSpread = DurationOption("--open-spread", "Spread the openings over this time.", TimeSpan.Zero);
        var script = new Option<FileInfo?>("--script") { Description = "A file of consumer messages, one per line, sent in turn after each answer." };
        var keepOpen = new Option<bool>("--keep-open") { Description = "Leave the conversations open at the end." };
        var failOnLost = new Option<bool>("--fail-on-lost") { Description = "Exit with 1 when a conversation was lost." };
        var command = new Command("drive", "Play consumers against a running simulator and print round-trip statistics as one JSON line.")
        {
            address, account, skill, conversations, rate, duration, answerTimeout, openSpread, script, keepOpen, failOnLost,
        };
        command.SetAction(async (result, ct) =>
        {
            var scriptFile = result.GetValue(script);
            var options = new ConsumerDriverOptions
            {
                AccountId = result.GetValue(account)!,
                SkillId = result.GetValue(skill)!,
                Conversations = result.GetValue(conversations),
                MessagesPerSecond = result.GetValue(rate),
                Duration = result.GetValue(duration),
                AnswerTimeout = result.GetValue(answerTimeout),
                OpenSpread = result.GetValue(openSpread),
                CloseAtEnd = !result.GetValue(keepOpen),
                Script = scriptFile is null
                    ? null
                    : (await File.ReadAllLinesAsync(scriptFile.FullName, ct)).Where(l => l.Trim().Length > 0).ToList(),
            };
            await using var channel = new HttpConsumerChannel(result.GetValue(address)!);
            ConsumerDriverReport report;
            try
            {
                report = await new ConsumerDriver(channel, options).RunAsync(ct);
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"simulator: the simulator did not serve the consumers: {ex.Message}");
                return 2;
            }

            Console.WriteLine(JsonSerializer.Serialize(report, SimulatorOptions.JsonOptions));
            return result.GetValue(failOnLost) && report.Lost > 0 ? 1 : 0;
        });
        return command;
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan fallback) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = argument =>
        {
            var token = argument.Tokens.Count > 0 ? argument.Tokens[0].Value : null;
            if (DurationParser.TryParse(token, out var value))
            {
                return value;
            }

            argument.AddError($"'{token}' is not a duration (try 60s, 500ms, 2m).");
            return default;
        },
    };
}
