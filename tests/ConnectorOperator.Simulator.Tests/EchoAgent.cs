using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Tests;

/// <summary>
/// A trivial bot agent for load tests: accepts every ring, subscribes to its conversations, echoes every
/// consumer message, and transfers to the human skill when asked for a human.
/// </summary>
internal sealed class EchoAgent : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, bool> _subscribed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long), bool> _seen = new();

    private EchoAgent(TestAgent agent) => Agent = agent;

    public TestAgent Agent { get; }

    public static Task<EchoAgent> StartAsync(ConversationalCloudSimulator sim, string loginName) =>
        StartAsync(sim, TestAgent.ApiKeyBody(loginName));

    public static async Task<EchoAgent> StartAsync(ConversationalCloudSimulator sim, JsonObject credentials)
    {
        var agent = await TestAgent.LoginAsync(sim, "123", credentials);
        var echo = new EchoAgent(agent);
        agent.NotificationHandler = frame => _ = Task.Run(() => echo.HandleAsync(frame));
        await agent.ConnectAsync();
        await agent.GoOnlineAsync();
        return echo;
    }

    private async Task HandleAsync(JsonObject frame)
    {
        var body = frame["body"]!;
        switch (frame["type"]!.GetValue<string>())
        {
            case "routing.RoutingTaskNotification" when TestAgent.RingState((JsonObject)body) == "WAITING":
                var ringId = body["changes"]![0]!["result"]!["ringsDetails"]![0]!["ringId"]!.GetValue<string>();
                await Agent.RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "ACCEPTED" });
                break;
            case "cqm.ExConversationChangeNotification":
                foreach (var change in body["changes"]!.AsArray())
                {
                    var id = change!["result"]!["convId"]!.GetValue<string>();
                    var ours = change["result"]!["conversationDetails"]!["participants"]!.AsArray()
                        .Any(p => p!["role"]!.GetValue<string>() == "ASSIGNED_AGENT" && p["id"]!.GetValue<string>() == Agent.UserId);
                    if (change["type"]!.GetValue<string>() == "UPSERT" && ours && _subscribed.TryAdd(id, true))
                    {
                        await Agent.SubscribeMessagesAsync(id);
                    }
                }

                break;
            case "ms.MessagingEventNotification":
                foreach (var change in body["changes"]!.AsArray())
                {
                    var id = change!["conversationId"]!.GetValue<string>();
                    var sequence = change["sequence"]!.GetValue<long>();
                    var text = change["event"]?["message"]?.GetValue<string>();
                    if (change["originatorMetadata"]!["role"]!.GetValue<string>() != "CONSUMER" || text is null || !_seen.TryAdd((id, sequence), true))
                    {
                        continue;
                    }

                    await Agent.PublishTextAsync(id, "echo: " + text);
                    if (text.Contains("human", StringComparison.OrdinalIgnoreCase))
                    {
                        await Agent.TransferAsync(id, "20");
                    }
                }

                break;
        }
    }

    public ValueTask DisposeAsync() => Agent.DisposeAsync();
}
