using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Tests.Support;
using ConnectorOperator.Validation;
using k8s;
using k8s.Models;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Integration;

/// <summary>The page's per-connector Start/Stop, restarts, node drains and warnings, through real HTTP against the API server double.</summary>
public class ConnectorControlTests
{
    private static bool Online(AgentConnector c) => c.Status?.State == ConnectorState.Online && ConditionIs(c, ConditionTypes.Ready, "True");

    private static AgentUserStatus Row(AgentConnector c, string loginName) => c.Status!.AgentUsers!.Single(r => r.LoginName == loginName);

    private static Task<AgentConnector> PatchAgentUsersAsync(OperatorHarness h, string name, AgentConnector current, Action<List<AgentUser>> change)
    {
        var users = current.Spec.AgentUsers;
        change(users);
        var array = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject
        {
            ["loginName"] = u.LoginName,
            ["credentialsSecretRef"] = new JsonObject { ["name"] = u.CredentialsSecretRef.Name },
            ["running"] = u.Running,
        })]);
        return h.PatchSpecAsync(name, new JsonObject { ["agentUsers"] = array });
    }

    [Fact]
    public async Task Stopping_one_agent_user_drains_its_connector_alone_and_starting_it_brings_it_back()
    {
        await using var h = await StartAsync();
        var connector = Connector("sales", users: 2);
        connector.Spec.Replicas = 2;
        await h.ApplyAsync(connector);
        var online = await h.WaitForAsync("sales", c => Online(c) && c.Status!.ReadyReplicas == 2, "two connectors online");
        var keptPod = Row(online, "sales-user1").Pod;

        await PatchAgentUsersAsync(h, "sales", online, users => users[1].Running = false);
        var one = await h.WaitForAsync("sales", c => Row(c, "sales-user2").State == "Stopped" && c.Status!.Replicas == 1 && Online(c),
            "user2's connector is stopped and the AgentConnector stays online");
        Assert.Equal(keptPod, Row(one, "sales-user1").Pod);
        Assert.Null(Row(one, "sales-user2").Pod);
        Assert.False(Row(one, "sales-user2").Running);
        Assert.True(ConditionIs(one, ConditionTypes.Stopped, "False"));
        Assert.Single(await h.PodsAsync("sales"));
        Assert.NotEmpty(h.Connectors.Drained);

        await PatchAgentUsersAsync(h, "sales", one, users => users[1].Running = true);
        var both = await h.WaitForAsync("sales", c => Online(c) && c.Status!.ReadyReplicas == 2 && Row(c, "sales-user2").State == "Online",
            "user2's connector is back");
        Assert.Equal(keptPod, Row(both, "sales-user1").Pod);
    }

    [Fact]
    public async Task Stopping_every_agent_user_one_by_one_reports_the_agent_connector_stopped()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("quiet", users: 1));
        var online = await h.WaitForAsync("quiet", Online, "online");

        await PatchAgentUsersAsync(h, "quiet", online, users => users[0].Running = false);
        var stopped = await h.WaitForAsync("quiet", c => c.Status?.State == ConnectorState.Stopped && ConditionIs(c, ConditionTypes.Ready, "True", "Stopped"),
            "stopped with Ready=True");
        Assert.Empty(await h.PodsAsync("quiet"));
        Assert.True(ConditionIs(stopped, ConditionTypes.Stalled, "False"));
    }

    [Fact]
    public async Task The_restartedAt_annotation_rolls_every_connector_one_at_a_time_and_an_unchanged_one_does_not()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 3, DeploymentEnvironment.Production));
        var before = await h.WaitForAsync("sales", c => Online(c) && ConditionIs(c, ConditionTypes.Reconciling, "False"), "online and settled");
        var oldPods = (await h.PodsAsync("sales")).Select(p => p.Metadata.Name!).ToHashSet();

        using var watch = PodTimeline.Start(h, "sales");
        await AnnotateAsync(h, "sales", "2026-12-04T01:00:00Z");
        var after = await h.WaitForAsync("sales", c => Online(c) && c.Status!.Revision != before.Status!.Revision && c.Status.UpdatedReplicas == 2 && c.Status.Connectors!.Count == 2,
            "every connector restarted", TimeSpan.FromSeconds(45));
        var timeline = await watch.StopAsync();

        timeline.AssertNeverTwoPodsForOneAgentUser();
        Assert.True(timeline.MaxLivePods <= 3, $"one extra connector at a time, saw {timeline.MaxLivePods}");
        Assert.True(timeline.FirstAppearance(n => !oldPods.Contains(n)) < timeline.FirstTermination(oldPods.Contains), "a new connector starts before an old one drains");
        Assert.DoesNotContain(await h.PodsAsync("sales"), p => oldPods.Contains(p.Metadata.Name!));
        Assert.Contains(await EventsAsync(h), e => (string?)e["reason"] == "RollingRestart" && ((string?)e["note"] ?? "").Contains("restartedAt", StringComparison.Ordinal));

        // The same value again is no new request: nothing restarts.
        await AnnotateAsync(h, "sales", "2026-12-04T01:00:00Z");
        await Task.Delay(1000);
        var settled = await h.GetAsync("sales");
        Assert.Equal(after.Status!.Revision, settled!.Status!.Revision);
    }

    [Fact]
    public async Task A_single_demo_connector_can_be_evicted_so_it_never_blocks_a_node_drain()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("solo", users: 1));
        await h.WaitForAsync("solo", Online, "online");
        var budget = await WaitForBudgetAsync(h, "solo", minAvailable: 0);
        Assert.Null(budget.Spec.MaxUnavailable);
        var pod = (await h.PodsAsync("solo")).Single().Metadata.Name!;

        using var http = h.AdminHttp();
        var response = await http.PostAsJsonAsync($"/api/v1/namespaces/{OperatorHarness.Namespace}/pods/{pod}/eviction", Eviction(pod));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await h.WaitForAsync("solo", c => Online(c) && c.Status!.Connectors!.All(x => x.Pod != pod), "a replacement connector is online");
    }

    [Fact]
    public async Task In_production_a_node_drain_takes_one_connector_and_keeps_the_other_ready()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 2, DeploymentEnvironment.Production));
        await h.WaitForAsync("sales", c => Online(c) && c.Status!.ReadyReplicas == 2, "two connectors online");
        await WaitForBudgetAsync(h, "sales", minAvailable: 1);
        // No replacement may race the second eviction: the budget alone decides.
        await h.StopOperatorAsync();
        var pods = (await h.PodsAsync("sales")).Select(p => p.Metadata.Name!).ToList();

        using var http = h.AdminHttp();
        var first = await http.PostAsJsonAsync($"/api/v1/namespaces/{OperatorHarness.Namespace}/pods/{pods[0]}/eviction", Eviction(pods[0]));
        var second = await http.PostAsJsonAsync($"/api/v1/namespaces/{OperatorHarness.Namespace}/pods/{pods[1]}/eviction", Eviction(pods[1]));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task Conversations_per_connector_above_50_run_with_a_warning_condition_and_event()
    {
        await using var h = await StartAsync();
        var connector = Connector("wide", users: 2);
        connector.Spec.Scaling = new ScalingSpec { ConversationsPerConnector = 120 };
        await h.ApplyAsync(connector);

        var online = await h.WaitForAsync("wide", c => Online(c) && ConditionIs(c, ConditionTypes.Warning, "True", SpecWarningReasons.AboveConversationBaseline),
            "online with the baseline warning");
        Assert.Equal(120, online.Status!.Capacity);
        Assert.Contains("baseline of 50", online.Status.Conditions!.Single(c => c.Type == ConditionTypes.Warning).Message, StringComparison.Ordinal);
        await WaitForEventAsync(h, SpecWarningReasons.AboveConversationBaseline);
    }

    [Fact]
    public async Task A_role_on_a_chat_connector_is_warned_about_not_ignored()
    {
        await using var h = await StartAsync();
        var connector = Connector("chat", users: 1);
        connector.Spec.ConversationType = ConversationType.Chat;
        connector.Spec.Role = AgentRole.Manager;
        await h.ApplyAsync(connector);

        var online = await h.WaitForAsync("chat", c => Online(c) && ConditionIs(c, ConditionTypes.Warning, "True", SpecWarningReasons.RoleIgnoredOnChat),
            "online with the role warning");
        Assert.Contains("spec.role", online.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Warning).Message, StringComparison.Ordinal);
        await WaitForEventAsync(h, SpecWarningReasons.RoleIgnoredOnChat);
    }

    private static Task AnnotateAsync(OperatorHarness h, string name, string restartedAt) =>
        h.Client.PatchAsync<AgentConnector>(AgentConnector.Resource, OperatorHarness.Namespace, name, KubernetesPatch.Merge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ConnectorLabels.RestartedAt] = restartedAt } },
        }));

    private static JsonObject Eviction(string pod) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "Eviction",
        ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = OperatorHarness.Namespace },
    };

    private static async Task<V1PodDisruptionBudget> WaitForBudgetAsync(OperatorHarness h, string name, int minAvailable)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        V1PodDisruptionBudget? budget = null;
        while (DateTime.UtcNow < deadline)
        {
            budget = await h.Client.TryGetAsync<V1PodDisruptionBudget>(ResourceType.PodDisruptionBudget, OperatorHarness.Namespace, name);
            if (budget?.Spec.MinAvailable?.ToInt() == minAvailable) return budget;
            await Task.Delay(50);
        }
        Assert.Fail($"the budget never had minAvailable {minAvailable}; last: {budget?.Spec.MinAvailable}");
        return null!;
    }

    /// <summary>The namespace's events as JSON, read over plain HTTP like kubectl get events.</summary>
    private static async Task<List<JsonNode>> EventsAsync(OperatorHarness h)
    {
        using var http = h.AdminHttp();
        var list = JsonNode.Parse(await http.GetStringAsync($"/apis/events.k8s.io/v1/namespaces/{OperatorHarness.Namespace}/events"))!;
        return [.. list["items"]!.AsArray().OfType<JsonNode>()];
    }

    private static async Task WaitForEventAsync(OperatorHarness h, string reason)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await EventsAsync(h)).Any(e => (string?)e["reason"] == reason && (string?)e["type"] == "Warning")) return;
            await Task.Delay(100);
        }
        Assert.Fail($"no Warning event with reason {reason}");
    }
}
