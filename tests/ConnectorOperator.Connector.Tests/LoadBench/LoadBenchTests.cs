using ConnectorOperator.LoadBench;

namespace ConnectorOperator.Connector.Tests.LoadBench;

/// <summary>The load benchmark's own pieces, and one tiny real run so `make loadbench` cannot rot unnoticed.</summary>
public sealed class LoadBenchTests
{
    [Fact]
    public void No_arguments_mean_50_200_and_500_conversations_for_30_seconds()
    {
        var options = LoadBenchOptions.Parse([], out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal([50, 200, 500], options.ConversationCounts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.BotLatency);
    }

    [Fact]
    public void Arguments_set_counts_durations_and_rate()
    {
        var options = LoadBenchOptions.Parse(["--conversations", "5,10", "--duration", "2m", "--rate", "1.5", "--bot-latency", "50ms", "--open-spread", "1s"], out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal([5, 10], options.ConversationCounts);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Duration);
        Assert.Equal(1.5, options.Rate);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.BotLatency);
        Assert.Equal(TimeSpan.FromSeconds(1), options.OpenSpread);
    }

    [Theory]
    [InlineData(new[] { "--conversations", "1001" }, "counts of 1-1000")]
    [InlineData(new[] { "--conversations", "0" }, "counts of 1-1000")]
    [InlineData(new[] { "--duration", "soon" }, "--duration must be a duration")]
    [InlineData(new[] { "--rate", "0" }, "--rate must be")]
    [InlineData(new[] { "--verbose", "yes" }, "unknown option --verbose")]
    [InlineData(new[] { "--duration" }, "--duration needs a value")]
    [InlineData(new[] { "--duration", "5s", "--open-spread", "5s" }, "--open-spread must be shorter")]
    public void Wrong_arguments_are_one_clear_error(string[] args, string expected)
    {
        var options = LoadBenchOptions.Parse(args, out var error);

        Assert.Null(options);
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Connector_counters_are_read_from_prometheus_text_and_subtract()
    {
        const string Earlier = """
            # TYPE connector_messages_relayed_total counter
            connector_messages_relayed_total{direction="toBot"} 10
            connector_messages_relayed_total{direction="toConsumer"} 12
            connector_bot_round_trip_seconds_bucket{le="+Inf"} 10
            connector_bot_round_trip_seconds_sum 0.2
            connector_bot_round_trip_seconds_count 10
            connector_active_conversations 3
            """;
        const string Later = """
            connector_messages_relayed_total{direction="toBot"} 30
            connector_messages_relayed_total{direction="toConsumer"} 35
            connector_bot_round_trip_seconds_sum 0.65
            connector_bot_round_trip_seconds_count 30
            connector_active_conversations 5
            """;

        var delta = ConnectorCounters.Parse(Later) - ConnectorCounters.Parse(Earlier);

        Assert.Equal(20, delta.ToBot);
        Assert.Equal(23, delta.ToConsumer);
        Assert.Equal(20, delta.BotCalls);
        Assert.Equal(0.45, delta.BotSeconds, precision: 9);
        Assert.Equal(5, delta.ActiveConversations);
    }

    [Fact]
    public void Marginal_cost_is_the_least_squares_slope()
    {
        Assert.Equal(2.0, MarkdownReport.Slope([50, 200, 500], [110, 410, 1010]), precision: 9);
        Assert.True(double.IsNaN(MarkdownReport.Slope([50, 50], [1, 2])));
    }

    [Fact]
    public async Task A_small_run_relays_every_conversation_through_a_child_connector()
    {
        var options = new LoadBenchOptions
        {
            Duration = TimeSpan.FromSeconds(3),
            Rate = 2,
            OpenSpread = TimeSpan.FromMilliseconds(500),
            Warmup = TimeSpan.Zero,
        };
        var connector = ConnectorLocator.Find(null);
        Assert.NotNull(connector);
        int? childId = null;

        var result = await new LoadRun(options, connector, 5, TextWriter.Null)
            .RunAsync(child => childId ??= child?.Id, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(5, result.Conversations);
        Assert.Equal(5, result.HeldAtSteadyState);
        Assert.Equal(0, result.Lost);
        Assert.True(result.RoundTrips > 0, "no round trips measured");
        Assert.True(result.RoundTripP50Ms >= options.BotLatency.TotalMilliseconds, $"p50 {result.RoundTripP50Ms} ms is below the bot's own latency");
        Assert.True(result.BaselineWorkingSetBytes > 0);
        Assert.NotNull(childId);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(childId.Value));
    }
}
