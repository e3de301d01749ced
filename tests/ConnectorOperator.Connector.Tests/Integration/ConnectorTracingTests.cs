using System.Collections.Concurrent;
using System.Diagnostics;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Tests.Support;
using ConnectorOperator.Simulator;

namespace ConnectorOperator.Connector.Tests.Integration;

public sealed class ConnectorTracingTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private ConversationalCloudSimulator _sim = null!;

    public async Task InitializeAsync() => _sim = await ConversationalCloudSimulator.StartAsync(ConnectorHarness.FastSimulatorOptions());

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task A_relayed_message_is_a_span_whose_bot_call_child_sends_traceparent_to_the_bot()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ConnectorActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var bot = await TestBot.StartAsync();
        var env = ConnectorHarness.Environment(_sim, "bot1", bot.Address);
        await using var connector = await ConnectorHarness.StartAsync(env, _logs);
        await connector.WaitOnlineAsync();

        var conversation = _sim.OpenConversation("123", "10", "trace me");
        await Eventually.TrueAsync(() => spans.Any(s => s.OperationName == "relay message" && (string?)s.GetTagItem("conversation.id") == conversation),
            "a relay span for the conversation");

        var relay = spans.First(s => s.OperationName == "relay message" && (string?)s.GetTagItem("conversation.id") == conversation);
        var call = spans.First(s => s.OperationName == "bot call" && s.ParentSpanId == relay.SpanId);
        Assert.Equal(200, call.GetTagItem("http.response.status_code"));
        Assert.Contains(bot.TraceParents, p => p.Split('-')[1] == call.TraceId.ToHexString());
    }
}
