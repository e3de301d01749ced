using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;

namespace ConnectorOperator.Dev;

/// <summary>
/// One line every few seconds a person can follow: the demo connector's state, connectors desired/ready,
/// conversations the connectors hold and those waiting in the queue; and the operator's Events as they happen.
/// </summary>
public sealed class DemoProgress(LocalDevCluster cluster, TextWriter output, string skillId)
{
    private readonly HashSet<string> _seenEvents = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            PrintEvents();
            await output.WriteLineAsync(Line());
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string Line()
    {
        var connector = cluster.GetAgentConnector();
        var status = connector?["status"];
        var state = status?["state"]?.GetValue<string>() ?? "(no status yet)";
        var conversations = cluster.Simulator.GetState().Conversations.Where(c => c.SkillId == skillId && c.State != ConversationState.Closed).ToList();
        var queued = conversations.Count(c => c.State is ConversationState.Queued or ConversationState.Ringing);
        var elapsed = DateTimeOffset.UtcNow - _started;
        var held = Int(status, "activeConversations");
        var capacity = Int(status, "capacity");
        // Consumers waiting while every connector is full: what more connectors would fix.
        var full = queued > 0 && capacity > 0 && held >= capacity ? "  (connectors full)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{(int)elapsed.TotalMinutes:00}:{elapsed.Seconds:00}] {DemoResources.Name}: {state,-8} connectors {Int(status, "readyReplicas")}/{Int(status, "desiredReplicas")} ready" +
            $" (pods {cluster.Kubelet.RunningProcesses.Count})  conversations {held} held / capacity {capacity}" +
            $"  consumers open {conversations.Count}, waiting {queued}{full}");
    }

    private void PrintEvents()
    {
        IReadOnlyList<JsonObject> events;
        try
        {
            events = cluster.Api.ListObjects("events.k8s.io/v1", "Event", DemoResources.Namespace);
        }
        catch (LocalCluster.Primitives.ApiStatusException)
        {
            return;
        }
        foreach (var e in events.OrderBy(e => e["metadata"]?["creationTimestamp"]?.GetValue<string>(), StringComparer.Ordinal))
        {
            var key = $"{e["metadata"]?["uid"]}/{e["series"]?["count"]}";
            if (!_seenEvents.Add(key)) continue;
            var regarding = $"{e["regarding"]?["kind"]}/{e["regarding"]?["name"]}";
            output.WriteLine($"  event {e["type"]} {e["reason"]} {regarding}: {e["note"]}");
        }
    }

    private static int Int(JsonNode? status, string field) =>
        status?[field] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}
