using System.Diagnostics;
using System.Globalization;
using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Consumers;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.LoadBench;

/// <summary>
/// One measurement: a fresh simulator and a fresh connector child process, N conversations driven at a fixed
/// rate, the connector's memory and CPU sampled around them.
/// </summary>
internal sealed class LoadRun(LoadBenchOptions options, string connectorDll, int conversations, TextWriter log)
{
    private const string Account = "123";
    private const string BotUser = "bot1";
    private const string BotSkill = "10";
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);

    public async Task<LoadRunResult> RunAsync(Action<ConnectorProcess?> track, CancellationToken ct)
    {
        var simOptions = SimulatorOptions.CreateDefault();
        simOptions.SampleBot.Latency = options.BotLatency;
        var user = simOptions.Accounts.Single(a => a.Id == Account).Users.Single(u => u.LoginName == BotUser);
        user.MaxConversations = Math.Max(user.MaxConversations, conversations + 10);

        await using var sim = await ConversationalCloudSimulator.StartAsync(simOptions, ct);
        await using var connector = ConnectorProcess.Start(connectorDll, Environment(sim, user));
        track(connector);
        try
        {
            await connector.WaitOnlineAsync(TimeSpan.FromSeconds(60), ct);
            await WarmUpAsync(sim, connector, ct);

            var baseline = await SettledSampleAsync(connector, ct);
            log.WriteLine($"  N={conversations}: baseline working set {Mib(baseline.WorkingSetBytes)} MiB, private {Mib(baseline.PrivateBytes)} MiB");

            var steadyStart = options.OpenSpread + TimeSpan.FromSeconds(2 / options.Rate);
            if (steadyStart > options.Duration / 2)
            {
                steadyStart = options.Duration / 2;
            }

            var driverOptions = new ConsumerDriverOptions
            {
                AccountId = Account,
                SkillId = BotSkill,
                Conversations = conversations,
                MessagesPerSecond = options.Rate,
                Duration = options.Duration,
                OpenSpread = options.OpenSpread,
                AnswerTimeout = TimeSpan.FromSeconds(15),
            };
            var started = Stopwatch.GetTimestamp();
            await using var channel = new TimedConsumerChannel(new InProcessConsumerChannel(sim));
            var driving = new ConsumerDriver(channel, driverOptions).RunAsync(ct);
            var steady = await ObserveSteadyPhaseAsync(connector, started, steadyStart, options.Duration, ct);
            var report = await driving;
            var relay = channel.RelayRoundTripsMs.Order().ToList();
            var openings = channel.OpeningRoundTripsMs.Order().ToList();

            return new LoadRunResult
            {
                Conversations = conversations,
                HeldAtSteadyState = steady.Held,
                Lost = report.Lost,
                RoundTrips = relay.Count,
                UnansweredMessages = report.UnansweredMessages,
                RoundTripP50Ms = ConsumerDriver.Percentile(relay, 0.50) ?? double.NaN,
                RoundTripP99Ms = ConsumerDriver.Percentile(relay, 0.99) ?? double.NaN,
                RoundTripMaxMs = relay.Count > 0 ? relay[^1] : double.NaN,
                OpeningP50Ms = ConsumerDriver.Percentile(openings, 0.50) ?? double.NaN,
                OpeningP99Ms = ConsumerDriver.Percentile(openings, 0.99) ?? double.NaN,
                BotCallMeanMs = steady.Counters.BotCalls > 0 ? steady.Counters.BotSeconds * 1000 / steady.Counters.BotCalls : double.NaN,
                RelayedToBot = steady.Counters.ToBot,
                SteadySeconds = steady.Seconds,
                CpuPercentOfOneCore = steady.Cpu.TotalSeconds / steady.Seconds * 100,
                CpuMsPerMessage = steady.Counters.ToBot > 0 ? steady.Cpu.TotalMilliseconds / steady.Counters.ToBot : double.NaN,
                BaselineWorkingSetBytes = baseline.WorkingSetBytes,
                SteadyWorkingSetBytes = steady.WorkingSetBytes,
                BaselinePrivateBytes = baseline.PrivateBytes,
                SteadyPrivateBytes = steady.PrivateBytes,
            };
        }
        finally
        {
            connector.Kill();
            track(null);
        }
    }

    private Dictionary<string, string> Environment(ConversationalCloudSimulator sim, AgentUserOptions user) => new()
    {
        ["CONNECTOR_ACCOUNT_ID"] = Account,
        ["CONNECTOR_AGENT_USER"] = user.LoginName,
        ["CONNECTOR_ROLE"] = "Agent",
        ["CONNECTOR_CONVERSATION_TYPE"] = "Messaging",
        ["CONNECTOR_ENVIRONMENT"] = "Demo",
        ["CONNECTOR_BOT_ID"] = "loadbench",
        ["CONNECTOR_BOT_ENDPOINT"] = sim.BotAddress.ToString(),
        ["CONNECTOR_FALLBACK_SKILL_ID"] = "20",
        ["CONNECTOR_CSDS_DOMAIN"] = sim.CsdsAddress.ToString().TrimEnd('/'),
        ["CONNECTOR_CAPACITY"] = conversations.ToString(CultureInfo.InvariantCulture),
        ["CONNECTOR_REVISION"] = "loadbench",
        ["CONNECTOR_DRAIN_SECONDS"] = "5",

        // No aggregation window and no pause before accepting a ring: the bench measures the relay, not
        // deliberate waits (production defaults are 300 ms and 100 ms).
        ["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"messageDelay":"0","ringAcceptWait":"0"}""",
        ["LP_APP_KEY"] = user.AppKey!,
        ["LP_APP_SECRET"] = user.AppSecret!,
        ["LP_ACCESS_TOKEN"] = user.AccessToken!,
        ["LP_ACCESS_TOKEN_SECRET"] = user.AccessTokenSecret!,
    };

    /// <summary>A few conversations first, so JIT and connection setup land in the baseline, not in the per-conversation cost.</summary>
    private async Task WarmUpAsync(ConversationalCloudSimulator sim, ConnectorProcess connector, CancellationToken ct)
    {
        if (options.Warmup <= TimeSpan.Zero)
        {
            return;
        }

        await ConsumerDriver.RunAsync(sim, new ConsumerDriverOptions { AccountId = Account, SkillId = BotSkill, Conversations = 5, MessagesPerSecond = 4, Duration = options.Warmup }, ct);
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (await connector.ActiveConversationsAsync(ct) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100, ct);
        }
    }

    /// <summary>The idle connector's memory: the median of a few readings, so one GC does not decide it.</summary>
    private static async Task<ProcessSample> SettledSampleAsync(ConnectorProcess connector, CancellationToken ct)
    {
        var samples = new List<ProcessSample>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(SampleEvery, ct);
            samples.Add(connector.Sample());
        }

        return Median(samples);
    }

    private sealed record SteadyPhase(int Held, double Seconds, TimeSpan Cpu, ConnectorCounters Counters, long WorkingSetBytes, long PrivateBytes);

    /// <summary>
    /// Between the moment every conversation is open and writing and the end of sending: CPU and counter
    /// deltas over the window, memory as the median of readings in it.
    /// </summary>
    private async Task<SteadyPhase> ObserveSteadyPhaseAsync(ConnectorProcess connector, long started, TimeSpan steadyStart, TimeSpan steadyEnd, CancellationToken ct)
    {
        await DelayUntilAsync(started, steadyStart, ct);
        var first = connector.Sample();
        var firstCounters = await connector.ScrapeAsync(ct);
        var held = (int)firstCounters.ActiveConversations;
        log.WriteLine($"  N={conversations}: steady phase from {steadyStart.TotalSeconds:0.#} s, connector holds {held}");

        var samples = new List<ProcessSample>();
        while (Stopwatch.GetElapsedTime(started) + SampleEvery < steadyEnd)
        {
            await Task.Delay(SampleEvery, ct);
            samples.Add(connector.Sample());
        }

        await DelayUntilAsync(started, steadyEnd, ct);
        var last = connector.Sample();
        var lastCounters = await connector.ScrapeAsync(ct);
        samples.Add(last);
        var median = Median(samples);
        var seconds = (last.Timestamp - first.Timestamp) / (double)Stopwatch.Frequency;
        return new SteadyPhase(held, seconds, last.Cpu - first.Cpu, lastCounters - firstCounters, median.WorkingSetBytes, median.PrivateBytes);
    }

    private static async Task DelayUntilAsync(long started, TimeSpan offset, CancellationToken ct)
    {
        var wait = offset - Stopwatch.GetElapsedTime(started);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }

    private static ProcessSample Median(List<ProcessSample> samples)
    {
        var workingSet = samples.Select(s => s.WorkingSetBytes).Order().ElementAt(samples.Count / 2);
        var privateBytes = samples.Select(s => s.PrivateBytes).Order().ElementAt(samples.Count / 2);
        var last = samples[^1];
        return last with { WorkingSetBytes = workingSet, PrivateBytes = privateBytes };
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
