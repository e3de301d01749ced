using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Tests.Support;
using k8s;
using k8s.Models;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Integration;

/// <summary>The operator end to end through real HTTP: the API server double, a simulated kubelet and fake connectors.</summary>
public class AgentConnectorLifecycleTests
{
    [Fact]
    public async Task Applying_a_connector_creates_its_pods_and_reports_it_online()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 3, DeploymentEnvironment.Production));

        var online = await h.WaitForAsync("sales", Online, "the connector is Online and Ready");
        Assert.Equal(2, online.Status!.ReadyReplicas);
        Assert.Equal("connectoroperator.dev/agent-connector=sales", online.Status.Selector);
        Assert.All(online.Status.Connectors!, c => Assert.True(c.Connected));
        Assert.All(online.Status.Connectors!, c => Assert.Equal("Connected", c.Components!.ConversationalCloud!.Status));
        Assert.Contains(ConnectorLabels.Finalizer, online.Metadata.Finalizers!);

        var pods = await h.PodsAsync("sales");
        Assert.Equal(2, pods.Count);
        Assert.Equal(2, pods.Select(p => p.Metadata.Annotations![ConnectorLabels.AgentUser]).Distinct().Count());
        var budget = await h.Client.GetAsync<V1PodDisruptionBudget>(ResourceType.PodDisruptionBudget, OperatorHarness.Namespace, "sales");
        Assert.Equal("1", budget.Spec.MinAvailable!.Value);
    }

    [Fact]
    public async Task Stopping_drains_every_connector_and_starting_brings_them_back()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 1));
        await h.WaitForAsync("sales", Online, "online");

        await h.PatchSpecAsync("sales", new JsonObject { ["running"] = false });
        var stopped = await h.WaitForAsync("sales", c => c.Status?.State == ConnectorState.Stopped && ConditionIs(c, ConditionTypes.Ready, "True", "Stopped"), "stopped with Ready=True");
        Assert.Empty(await h.PodsAsync("sales"));
        Assert.True(ConditionIs(stopped, ConditionTypes.Stopped, "True"));
        Assert.NotEmpty(h.Connectors.Drained);

        await h.PatchSpecAsync("sales", new JsonObject { ["running"] = true });
        await h.WaitForAsync("sales", Online, "online again");
    }

    [Fact]
    public async Task A_configuration_edit_rolls_connectors_one_at_a_time_starting_new_ones_first()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 3, DeploymentEnvironment.Production));
        var before = await h.WaitForAsync("sales", Online, "online");
        var oldRevision = before.Status!.Revision;
        var oldPods = (await h.PodsAsync("sales")).Select(p => p.Metadata.Name!).ToHashSet();

        using var watch = PodTimeline.Start(h, "sales");
        await h.PatchSpecAsync("sales", new JsonObject { ["customConfiguration"] = new JsonObject { ["messageDelay"] = "500" } });
        await h.WaitForAsync("sales", c => Online(c) && c.Status!.Revision != oldRevision && c.Status.UpdatedReplicas == 2 && c.Status.Connectors!.Count == 2,
            "every connector runs the new revision", TimeSpan.FromSeconds(45));
        var timeline = await watch.StopAsync();

        timeline.AssertNeverTwoPodsForOneAgentUser();
        Assert.True(timeline.MaxLivePods <= 3, $"at most one extra connector at a time, saw {timeline.MaxLivePods}");
        var firstNew = timeline.FirstAppearance(name => !oldPods.Contains(name));
        var firstDrain = timeline.FirstTermination(oldPods.Contains);
        Assert.True(firstNew < firstDrain, "a new connector starts before an old one is drained");
        Assert.DoesNotContain(await h.PodsAsync("sales"), p => oldPods.Contains(p.Metadata.Name!));
    }

    [Fact]
    public async Task Without_a_spare_agent_user_a_restart_drains_first_and_never_overlaps_sessions()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("solo", users: 1));
        var before = await h.WaitForAsync("solo", Online, "online");

        using var watch = PodTimeline.Start(h, "solo");
        await h.PatchSpecAsync("solo", new JsonObject { ["fallbackSkillId"] = "42" });
        await h.WaitForAsync("solo", c => Online(c) && c.Status!.Revision != before.Status!.Revision && c.Status.UpdatedReplicas == 1 && c.Status.Connectors!.Count == 1,
            "the replacement is online", TimeSpan.FromSeconds(30));
        (await watch.StopAsync()).AssertNeverTwoPodsForOneAgentUser();
    }

    [Fact]
    public async Task Rotating_a_credentials_secret_restarts_the_connectors_that_use_it()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 1));
        var before = await h.WaitForAsync("sales", Online, "online");
        var oldPod = (await h.PodsAsync("sales")).Single().Metadata.Name;

        await h.Client.PatchAsync<V1Secret>(ResourceType.Secret, OperatorHarness.Namespace, "sales-user1",
            KubernetesPatch.Merge(new JsonObject { ["stringData"] = new JsonObject { ["accessToken"] = "rotated" } }));
        await h.WaitForAsync("sales", c => Online(c) && c.Status!.Revision != before.Status!.Revision && c.Status.Connectors!.All(x => x.Pod != oldPod),
            "a new connector with the new revision is online", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Two_hundred_conversations_offered_past_capacity_scale_to_exactly_four_connectors_of_fifty()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("busy", users: 6));
        await h.WaitForAsync("busy", Online, "online with one connector");
        using var demand = ConversationDemand.Start(h, "busy", conversations: 200, perConnector: 50, routedPastCapacity: true);

        var scaled = await h.WaitForAsync("busy", c => Online(c) && c.Status!.ActiveConversations == 200 && c.Status.ReadyReplicas == 4,
            "every conversation is taken by one of four connectors", TimeSpan.FromSeconds(45));
        Assert.All(scaled.Status!.Connectors!, c => Assert.Equal(50, c.ActiveConversations));
        Assert.Equal(0, scaled.Status.WaitingConversations);
        Assert.Equal(4, scaled.Status.DesiredReplicas);

        // Settled: the full connectors report nothing waiting, so no fifth one comes.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(4, (await h.PodsAsync("busy")).Count);
    }

    [Fact]
    public async Task Two_hundred_concurrent_conversations_scale_out_until_each_connector_holds_at_most_fifty()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("busy", users: 6));
        await h.WaitForAsync("busy", Online, "online with one connector");
        using var demand = ConversationDemand.Start(h, "busy", conversations: 200, perConnector: 50);

        var scaled = await h.WaitForAsync("busy", c => Online(c) && c.Status!.ActiveConversations == 200 && c.Status.ReadyReplicas >= 4,
            "every conversation is taken by a connector", TimeSpan.FromSeconds(45));
        Assert.All(scaled.Status!.Connectors!, c => Assert.True(c.ActiveConversations <= 50));
        Assert.InRange(scaled.Status.DesiredReplicas, 4, 5);
    }

    [Fact]
    public async Task Expected_load_of_two_hundred_conversations_starts_four_connectors()
    {
        await using var h = await StartAsync();
        var connector = Connector("planned", users: 6);
        connector.Spec.Scaling = new ScalingSpec { ExpectedConcurrentConversations = 200 };
        await h.ApplyAsync(connector);

        var online = await h.WaitForAsync("planned", c => Online(c) && c.Status!.ReadyReplicas == 4, "four connectors online");
        Assert.Equal(4, online.Status!.DesiredReplicas);
        Assert.Equal(4, (await h.PodsAsync("planned")).Count);
    }

    [Fact]
    public async Task Production_with_one_agent_user_is_rejected_by_the_api()
    {
        await using var h = await StartAsync(startOperator: false);
        var failure = await Assert.ThrowsAsync<KubernetesApiException>(() => h.ApplyAsync(Connector("lonely", users: 1, DeploymentEnvironment.Production)));
        Assert.True(failure.IsInvalid);
        Assert.Contains("agent user", failure.Status.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_spec_only_the_operator_can_judge_stalls_with_the_field_named_and_no_pods()
    {
        await using var h = await StartAsync();
        var connector = Connector("typo", users: 1);
        connector.Spec.CustomConfiguration = new() { ["messageDelay"] = "fast" };
        await h.ApplyAsync(connector);

        var stalled = await h.WaitForAsync("typo", c => ConditionIs(c, ConditionTypes.Stalled, "True", "InvalidSpec"), "Stalled with InvalidSpec");
        Assert.Contains("spec.customConfiguration[messageDelay]", stalled.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message);
        Assert.Empty(await h.PodsAsync("typo"));
    }

    [Fact]
    public async Task An_agent_user_in_two_connectors_stays_with_the_first_and_the_second_reports_the_conflict()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("first", users: 1, userPrefix: "shared"));
        await h.WaitForAsync("first", Online, "first online");
        await h.ApplyAsync(Connector("second", users: 1, userPrefix: "shared"));

        var second = await h.WaitForAsync("second", c => ConditionIs(c, ConditionTypes.Online, "False", "AgentUserConflict"), "the second reports the conflict");
        Assert.Contains("bots/first", second.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Online).Message);
        Assert.Empty(await h.PodsAsync("second"));
        Assert.Single(await h.PodsAsync("first"));
    }

    [Fact]
    public async Task Deleting_a_connector_drains_its_pods_before_the_finalizer_lets_it_go()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("gone", users: 1));
        await h.WaitForAsync("gone", Online, "online");

        await h.Client.DeleteAsync(AgentConnector.Resource, OperatorHarness.Namespace, "gone");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await h.GetAsync("gone") is not null && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Null(await h.GetAsync("gone"));
        Assert.Empty(await h.PodsAsync("gone"));
        Assert.NotEmpty(h.Connectors.Drained);
    }

    [Fact]
    public async Task An_operator_restart_mid_scale_resumes_without_duplicate_pods()
    {
        await using var h = await StartAsync();
        var connector = Connector("resume", users: 5);
        connector.Spec.Scaling = new ScalingSpec { ExpectedConcurrentConversations = 180 };
        await h.ApplyAsync(connector);
        await h.WaitForAsync("resume", c => (c.Status?.Connectors?.Count ?? 0) >= 1, "the first connectors exist");
        await h.StopOperatorAsync();
        await h.StartOperatorAsync();

        var done = await h.WaitForAsync("resume", c => Online(c) && c.Status!.ReadyReplicas == 4, "four connectors online after the restart", TimeSpan.FromSeconds(30));
        var pods = await h.PodsAsync("resume");
        Assert.Equal(4, pods.Count);
        Assert.Equal(4, pods.Select(p => p.Metadata.Annotations![ConnectorLabels.AgentUser]).Distinct().Count());
        Assert.Equal(pods.Count, pods.Select(p => p.Metadata.Name).Distinct().Count());
        Assert.True(done.Status!.NextSerial >= 4);
    }

    [Fact]
    public async Task A_steady_state_makes_no_api_writes()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("calm", users: 2, DeploymentEnvironment.Production));
        await h.WaitForAsync("calm", c => Online(c) && ConditionIs(c, ConditionTypes.Reconciling, "False"), "online and settled");
        await Task.Delay(1000);

        var version = h.Server.CurrentResourceVersion;
        await Task.Delay(2500); // several status polls and requeues
        Assert.Equal(version, h.Server.CurrentResourceVersion);
    }

    [Fact]
    public async Task A_crash_looping_connector_shows_why_in_status()
    {
        await using var h = await StartAsync();
        h.ContainerBehaviours["crashy-user1"] = new ContainerBehaviour.Crashes(ExitCode: 2, Message: "bad configuration");
        await h.ApplyAsync(Connector("crashy", users: 1));

        var offline = await h.WaitForAsync("crashy", c => c.Status?.State == ConnectorState.Offline && c.Status.Connectors?.FirstOrDefault()?.Reason == "CrashLoopBackOff",
            "the connector shows CrashLoopBackOff");
        Assert.Equal("CrashLoopBackOff", offline.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Online).Reason);
    }

    [Fact]
    public async Task A_refused_login_shows_offline_with_reason_unauthorized()
    {
        await using var h = await StartAsync();
        var behaviour = h.Connectors.For("locked-user1");
        behaviour.State = ConnectorReportState.Offline;
        behaviour.Reason = "Unauthorized";
        behaviour.Message = "login for agent user 'locked-user1' was refused (401): check the credentials Secret";
        await h.ApplyAsync(Connector("locked", users: 1));

        var offline = await h.WaitForAsync("locked", c => ConditionIs(c, ConditionTypes.Online, "False", "Unauthorized"), "Offline with reason Unauthorized");
        var row = offline.Status!.Connectors!.Single();
        Assert.Equal("NotConnected", row.Components!.Authentication!.Status);
        Assert.Contains("credentials Secret", row.Message);
    }

    [Fact]
    public async Task A_missing_credentials_secret_is_reported_and_that_user_gets_no_pod()
    {
        await using var h = await StartAsync();
        await h.Client.CreateAsync(AgentConnector.Resource, Connector("nokeys", users: 1));

        var offline = await h.WaitForAsync("nokeys", c => ConditionIs(c, ConditionTypes.Online, "False", "CredentialsMissing"), "CredentialsMissing");
        Assert.Contains("nokeys-user1", offline.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Online).Message);
        Assert.Empty(await h.PodsAsync("nokeys"));

        await h.CreateCredentialsAsync("nokeys-user1");
        await h.WaitForAsync("nokeys", Online, "online once the Secret exists");
    }
}
