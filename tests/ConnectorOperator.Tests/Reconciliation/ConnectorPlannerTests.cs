using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

public class ConnectorPlannerTests
{
    [Fact]
    public void New_connector_gets_one_pod_per_desired_connector_with_persisted_serials()
    {
        var plan = ConnectorPlanner.Plan(Input(Connector(users: 3, env: DeploymentEnvironment.Production)));

        Assert.Equal(["bot1", "bot2"], plan.Create.Select(c => c.AgentUser.LoginName));
        Assert.Equal([0, 1], plan.Create.Select(c => c.Serial));
        Assert.Equal(2, plan.Status.NextSerial);
        Assert.Empty(plan.Delete);
        Assert.Equal(ConnectorState.Offline, plan.Status.State);
    }

    [Fact]
    public void Load_of_200_conversations_scales_to_four_connectors()
    {
        var connector = Connector(users: 5).WithStatus(desired: 2);
        var plan = PlanAfterScaleUpWindow(connector, Pod("sales-0", "bot1", "rev2", conversations: 50), Pod("x", "bot2", "rev2", conversations: 150));

        Assert.Equal(4, plan.Status.DesiredReplicas);
        Assert.Equal(["bot3", "bot4"], plan.Create.Select(c => c.AgentUser.LoginName));
        Assert.Contains(plan.Events, e => e.Reason == "ScaledUp");
    }

    [Fact]
    public void Conversations_waiting_at_full_connectors_count_as_demand_200_needs_exactly_four()
    {
        // Two full connectors, and the service offers them 100 more conversations they cannot take.
        var connector = Connector(users: 6).WithStatus(desired: 2);
        var plan = PlanAfterScaleUpWindow(connector,
            Pod("sales-0", "bot1", "rev2", report: Full("bot1", waiting: 60)),
            Pod("sales-1", "bot2", "rev2", report: Full("bot2", waiting: 40)));

        Assert.Equal(4, plan.Status.DesiredReplicas);
        Assert.Equal(100, plan.Status.WaitingConversations);
        Assert.Equal([60, 40], plan.Status.Connectors!.Select(c => c.WaitingConversations));
        Assert.Contains(plan.Events, e => e.Reason == "ScaledUp" && e.Note.Contains("100 waiting", StringComparison.Ordinal));
    }

    [Fact]
    public void Full_connectors_that_see_the_demand_behind_them_and_none_waiting_stay_at_four()
    {
        var connector = Connector(users: 6).WithStatus(desired: 4);
        var pods = Enumerable.Range(0, 4).Select(i => Pod($"sales-{i}", $"bot{i + 1}", "rev2", report: Full($"bot{i + 1}", waiting: 0))).ToArray();

        var plan = ConnectorPlanner.Plan(Input(connector, pods));

        Assert.Equal(4, plan.Status.DesiredReplicas);
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void Full_connectors_never_offered_more_than_they_hold_grow_by_one()
    {
        var connector = Connector(users: 6).WithStatus(desired: 4);
        var pods = Enumerable.Range(0, 4).Select(i => Pod($"sales-{i}", $"bot{i + 1}", "rev2", conversations: 50)).ToArray();

        var plan = PlanAfterScaleUpWindow(connector, pods);

        Assert.Equal(5, plan.Status.DesiredReplicas);
    }

    [Fact]
    public void One_look_that_counts_a_moving_conversation_twice_adds_no_connector()
    {
        // Polled as a ring moved: three connectors still report it waiting, the fourth already holds it.
        var connector = Connector(users: 6).WithStatus(desired: 4);
        var spike = Enumerable.Range(0, 4).Select(i => Pod($"sales-{i}", $"bot{i + 1}", "rev2", report: Full($"bot{i + 1}", waiting: i switch { < 2 => 17, 2 => 16, _ => 0 }))).ToArray();
        var first = ConnectorPlanner.Plan(Input(connector, spike));

        Assert.Equal(4, first.Status.DesiredReplicas);
        Assert.Empty(first.Create);
        Assert.Equal(5, first.Status.ScaleUpCandidate!.Replicas);
        Assert.Equal(TimeSpan.FromSeconds(3), first.RequeueAfter);

        connector.Status = first.Status;
        var settled = Enumerable.Range(0, 4).Select(i => Pod($"sales-{i}", $"bot{i + 1}", "rev2", report: Full($"bot{i + 1}", waiting: 0))).ToArray();
        var next = ConnectorPlanner.Plan(Input(connector, settled) with { Now = Now.AddSeconds(3) });

        Assert.Equal(4, next.Status.DesiredReplicas);
        Assert.Empty(next.Create);
        Assert.Null(next.Status.ScaleUpCandidate);
        Assert.DoesNotContain(next.Events, e => e.Reason == "ScaledUp");
    }

    /// <summary>Two passes the scale-up window apart, as the requeue makes them: the first only notes the candidate.</summary>
    private static ConnectorPlan PlanAfterScaleUpWindow(AgentConnector connector, params ObservedConnector[] pods)
    {
        var first = ConnectorPlanner.Plan(Input(connector, pods));
        Assert.Equal(connector.Status!.DesiredReplicas, first.Status.DesiredReplicas);
        Assert.Empty(first.Create);
        Assert.NotNull(first.Status.ScaleUpCandidate);
        Assert.Equal(TimeSpan.FromSeconds(3), first.RequeueAfter);

        connector.Status = first.Status;
        return ConnectorPlanner.Plan(Input(connector, pods) with { Now = Now.AddSeconds(3) });
    }

    private static ConnectorStatusReport Full(string user, int waiting) => new()
    {
        State = ConnectorReportState.Online,
        AgentUser = user,
        Revision = "rev2",
        ActiveConversations = 50,
        Capacity = 50,
        WaitingConversations = waiting,
        OfferedAtCapacity = 120,
    };

    [Fact]
    public void Stopping_drains_every_pod_and_reports_stopped()
    {
        var connector = Connector(configure: s => s.Running = false).WithStatus(desired: 1);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2")));

        Assert.Equal(["sales-0"], plan.Delete.Select(d => d.Name));
        Assert.Equal(ConnectorState.Stopped, plan.Status.State);
        Assert.Equal("False", Condition(plan, ConditionTypes.Ready).Status);

        var stopped = ConnectorPlanner.Plan(Input(Connector(configure: s => s.Running = false).WithStatus(desired: 0)));
        Assert.Equal("True", Condition(stopped, ConditionTypes.Ready).Status);
        Assert.Equal("Stopped", Condition(stopped, ConditionTypes.Ready).Reason);
        Assert.Equal("True", Condition(stopped, ConditionTypes.Stopped).Status);
    }

    [Fact]
    public void Rollout_with_a_spare_agent_user_starts_the_new_connector_before_draining_the_old()
    {
        var connector = Connector(users: 2).WithStatus(desired: 1);

        var surge = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1")));
        Assert.Equal(["bot2"], surge.Create.Select(c => c.AgentUser.LoginName));
        Assert.Empty(surge.Delete);

        var waiting = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1"), Pod("sales-10", "bot2", "rev2", ready: false)));
        Assert.Empty(waiting.Create);
        Assert.Empty(waiting.Delete);

        var finish = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1"), Pod("sales-10", "bot2", "rev2")));
        Assert.Equal(["sales-0"], finish.Delete.Select(d => d.Name));
        Assert.Empty(finish.Create);
    }

    [Fact]
    public void Rollout_without_a_spare_drains_first_and_replaces_only_after_the_old_pod_is_gone()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);

        var drain = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1")));
        Assert.Equal(["sales-0"], drain.Delete.Select(d => d.Name));
        Assert.Empty(drain.Create);

        var terminating = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1", terminating: true)));
        Assert.Empty(terminating.Create);

        var replace = ConnectorPlanner.Plan(Input(connector));
        Assert.Equal(["bot1"], replace.Create.Select(c => c.AgentUser.LoginName));
    }

    [Fact]
    public void Rollout_waits_while_a_new_connector_is_not_ready()
    {
        var connector = Connector(users: 3).WithStatus(desired: 2);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1"), Pod("sales-1", "bot2", "rev2", ready: false)));
        Assert.Empty(plan.Create);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void An_outdated_pod_that_is_not_ready_is_replaced_without_waiting()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1", ready: false, waitingReason: "CrashLoopBackOff")));
        Assert.Equal(["sales-0"], plan.Delete.Select(d => d.Name));
    }

    [Fact]
    public void Never_creates_a_second_pod_for_an_agent_user_whose_pod_is_terminating()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", terminating: true)));
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void Duplicate_pods_for_one_agent_user_keep_the_older()
    {
        var connector = Connector(users: 2).WithStatus(desired: 1);
        var plan = ConnectorPlanner.Plan(Input(connector,
            Pod("sales-0", "bot1", "rev2", created: Now.AddMinutes(-20)),
            Pod("sales-1", "bot1", "rev2", created: Now.AddMinutes(-5))));
        Assert.Equal(["sales-1"], plan.Delete.Select(d => d.Name));
    }

    [Fact]
    public void Agent_user_claimed_by_another_connector_gets_no_pod_and_a_conflict_reason()
    {
        var connector = Connector(users: 1);
        var input = Input(connector) with { ConflictingAgentUsers = new Dictionary<string, string> { ["bot1"] = "bots/support" } };
        var plan = ConnectorPlanner.Plan(input);

        Assert.Empty(plan.Create);
        var online = Condition(plan, ConditionTypes.Online);
        Assert.Equal("False", online.Status);
        Assert.Equal("AgentUserConflict", online.Reason);
        Assert.Contains("bots/support", online.Message);
        Assert.Equal("True", Condition(plan, ConditionTypes.Stalled).Status);
    }

    [Fact]
    public void A_pod_whose_agent_user_became_conflicting_is_drained()
    {
        var connector = Connector(users: 2).WithStatus(desired: 1);
        var input = Input(connector, Pod("sales-0", "bot1", "rev2")) with { ConflictingAgentUsers = new Dictionary<string, string> { ["bot1"] = "bots/support" } };
        var plan = ConnectorPlanner.Plan(input);
        Assert.Equal(["sales-0"], plan.Delete.Select(d => d.Name));
        Assert.Equal(["bot2"], plan.Create.Select(c => c.AgentUser.LoginName));
    }

    [Fact]
    public void Missing_credentials_keep_that_agent_user_out_and_say_which_secret()
    {
        var connector = Connector(users: 2, env: DeploymentEnvironment.Production);
        var credentials = ApiKeys(connector);
        credentials["bot2"] = CredentialsInfo.FromKeys("bot2-creds", null);
        var plan = ConnectorPlanner.Plan(Input(connector) with { Credentials = credentials });

        Assert.Equal(["bot1"], plan.Create.Select(c => c.AgentUser.LoginName));
        Assert.Equal("CredentialsMissing", Condition(plan, ConditionTypes.Online).Reason);
        Assert.Contains("bot2-creds", Condition(plan, ConditionTypes.Online).Message);
        Assert.Equal("AgentUsersExhausted", Condition(plan, ConditionTypes.ScalingLimited).Reason);
    }

    [Fact]
    public void Password_login_is_allowed_with_a_warning()
    {
        var connector = Connector(users: 1);
        var plan = ConnectorPlanner.Plan(Input(connector) with
        {
            Credentials = new Dictionary<string, CredentialsInfo> { ["bot1"] = CredentialsInfo.FromKeys("bot1-creds", ["password"]) },
        });
        Assert.Single(plan.Create);
        var warning = Condition(plan, ConditionTypes.Warning);
        Assert.Equal("True", warning.Status);
        Assert.Equal("PasswordLogin", warning.Reason);
    }

    [Fact]
    public void A_restart_request_rolls_the_connectors_and_the_event_names_it()
    {
        var connector = Connector(users: 2).WithStatus(desired: 1, revision: "rev1");
        connector.Metadata.Annotations = new Dictionary<string, string> { [ConnectorLabels.RestartedAt] = "2026-12-04T01:00:00Z" };
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev1")));

        // The existing rollout: a spare agent user starts first, the old connector drains once it is ready.
        Assert.Equal(["bot2"], plan.Create.Select(c => c.AgentUser.LoginName));
        Assert.Empty(plan.Delete);
        var rolling = Assert.Single(plan.Events, e => e.Reason == "RollingRestart");
        Assert.Contains("connectoroperator.dev/restartedAt: 2026-12-04T01:00:00Z", rolling.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConversationType.Messaging, AgentRole.Agent, 100, "AboveConversationBaseline")]
    [InlineData(ConversationType.Chat, AgentRole.Manager, 50, "RoleIgnoredOnChat")]
    public void Spec_warnings_show_as_a_warning_condition_with_their_own_reason_and_a_warning_event(ConversationType type, AgentRole role, int perConnector, string reason)
    {
        var connector = Connector(users: 1, configure: s =>
        {
            s.ConversationType = type;
            s.Role = role;
            s.Scaling = new ScalingSpec { ConversationsPerConnector = perConnector };
        });
        var check = ConnectorOperator.Validation.SpecValidator.Validate(connector.Spec);
        var plan = ConnectorPlanner.Plan(Input(connector) with { SpecWarnings = check.Warnings });

        Assert.Single(plan.Create);
        var warning = Condition(plan, ConditionTypes.Warning);
        Assert.Equal(("True", reason), (warning.Status, warning.Reason));
        Assert.Contains(plan.Events, e => e.Type == "Warning" && e.Reason == reason && e.Note == warning.Message);
    }

    [Fact]
    public void Connectors_above_the_baseline_take_as_many_conversations_as_the_spec_says()
    {
        var connector = Connector(users: 4, configure: s => s.Scaling = new ScalingSpec { ConversationsPerConnector = 100, ExpectedConcurrentConversations = 200 });
        var plan = ConnectorPlanner.Plan(Input(connector));

        Assert.Equal(2, plan.Status.DesiredReplicas);
        var pod = PodFactory.Build(connector, plan.Create[0].AgentUser, plan.Create[0].Credentials, 0, "rev2", Settings);
        Assert.Equal("100", pod.Spec.Containers[0].Env!.Single(e => e.Name == ConnectorOperator.Contracts.ConnectorEnvironment.Capacity).Value);
    }

    [Fact]
    public void Scale_down_removes_not_ready_pods_first_then_the_least_busy()
    {
        var connector = Connector(users: 4).WithStatus(desired: 4, scaleDownSince: Now.AddMinutes(-10));
        var plan = ConnectorPlanner.Plan(Input(connector,
            Pod("sales-0", "bot1", "rev2", conversations: 40),
            Pod("sales-1", "bot2", "rev2", conversations: 5),
            Pod("sales-2", "bot3", "rev2", ready: false),
            Pod("sales-3", "bot4", "rev2", conversations: 20)));

        Assert.Equal(2, plan.Status.DesiredReplicas);
        Assert.Equal(["sales-2", "sales-1"], plan.Delete.Select(d => d.Name));
        Assert.Contains(plan.Events, e => e.Reason == "ScaledDown");
    }

    [Fact]
    public void Invalid_spec_stalls_without_creating_or_removing_pods()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);
        var input = Input(connector, Pod("sales-0", "bot1", "rev1")) with { SpecErrors = ["spec.accountId: must be digits"] };
        var plan = ConnectorPlanner.Plan(input);

        Assert.Empty(plan.Create);
        Assert.Empty(plan.Delete);
        var stalled = Condition(plan, ConditionTypes.Stalled);
        Assert.Equal("True", stalled.Status);
        Assert.Equal("InvalidSpec", stalled.Reason);
        Assert.Contains("spec.accountId", stalled.Message);
        Assert.Contains(plan.Events, e => e.Type == "Warning" && e.Reason == "InvalidSpec");
    }

    [Fact]
    public void Deletion_drains_all_connectors_and_completes_when_none_remain()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);
        connector.Metadata.DeletionTimestamp = Now.UtcDateTime;
        var draining = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2")));
        Assert.Equal(["sales-0"], draining.Delete.Select(d => d.Name));
        Assert.False(draining.DrainComplete);

        Assert.True(ConnectorPlanner.Plan(Input(connector)).DrainComplete);
    }

    [Fact]
    public void Steady_state_plans_nothing_and_reproduces_the_same_status()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1, nextSerial: 1);
        var pods = new[] { Pod("sales-0", "bot1", "rev2") };
        var first = ConnectorPlanner.Plan(Input(connector, pods));
        connector.Status = first.Status;

        var second = ConnectorPlanner.Plan(Input(connector, pods));
        Assert.Empty(second.Create);
        Assert.Empty(second.Delete);
        Assert.Empty(second.Events);
        Assert.True(StatusComparer.Same(first.Status, second.Status));
        Assert.Equal(ConnectorState.Online, second.Status.State);
        Assert.Equal("True", Condition(second, ConditionTypes.Ready).Status);
        Assert.Equal("False", Condition(second, ConditionTypes.Reconciling).Status);
    }

    [Fact]
    public void Connector_details_show_the_pod_reason_when_the_container_is_not_running()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);
        var report = new ConnectorStatusReport { State = ConnectorReportState.Offline, Reason = "Unauthorized", Message = "login for agent user 'bot1' was refused (401)" };
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", ready: false, waitingReason: "CrashLoopBackOff", report: report)));

        var row = Assert.Single(plan.Status.Connectors!);
        Assert.Equal("CrashLoopBackOff", row.Reason);
        Assert.Contains("Unauthorized", row.Message);
        Assert.Equal(3, row.Restarts);
        Assert.Equal(ConnectorState.Offline, plan.Status.State);
    }

    [Fact]
    public void Offline_reason_comes_from_the_connector_report()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1);
        var report = new ConnectorStatusReport
        {
            State = ConnectorReportState.Offline,
            Reason = "Unauthorized",
            Message = "login refused (401): check the credentials Secret",
            Components = new ConnectorComponents { Authentication = new ComponentReport { Status = ComponentState.NotConnected, Message = "401" } },
        };
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", ready: false, report: report)));

        Assert.Equal("Unauthorized", Condition(plan, ConditionTypes.Online).Reason);
        var row = Assert.Single(plan.Status.Connectors!);
        Assert.Equal("NotConnected", row.Components!.Authentication!.Status);
    }

    [Fact]
    public void Condition_transition_time_is_kept_while_the_status_value_holds()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1, nextSerial: 1);
        var pods = new[] { Pod("sales-0", "bot1", "rev2") };
        var first = ConnectorPlanner.Plan(Input(connector, pods));
        connector.Status = first.Status;
        var later = ConnectorPlanner.Plan(Input(connector, pods) with { Now = Now.AddMinutes(5) });
        Assert.Equal(Now, Condition(later, ConditionTypes.Online).LastTransitionTime);
    }

    [Fact]
    public void A_first_start_that_fails_to_log_in_records_one_warning_naming_the_reason()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1, nextSerial: 1);
        var starting = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", ready: false)));
        Assert.Equal("Connecting", Condition(starting, ConditionTypes.Online).Reason);
        connector.Status = starting.Status;

        var report = new ConnectorStatusReport { State = ConnectorReportState.Offline, Reason = "ConnectionFailed", Message = "account 12345678 is not known: check spec.accountId" };
        var failed = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", ready: false, report: report)));
        var warning = Assert.Single(failed.Events, e => e.Type == "Warning");
        Assert.Equal("ConnectionFailed", warning.Reason);
        Assert.Contains("check spec.accountId", warning.Note, StringComparison.Ordinal);

        connector.Status = failed.Status;
        Assert.DoesNotContain(ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", ready: false, report: report))).Events, e => e.Type == "Warning");
    }

    private static ConnectorOperator.Api.Condition Condition(ConnectorPlan plan, string type) =>
        plan.Status.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void A_scale_up_in_progress_stays_online_while_a_failure_does_not()
    {
        var connector = Connector(users: 3).WithStatus(desired: 2);
        var starting = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", conversations: 50), Pod("sales-1", "bot2", "rev2", ready: false)));
        Assert.Equal(ConnectorState.Online, starting.Status.State);
        Assert.Equal("False", Condition(starting, ConditionTypes.Ready).Status);

        var crashing = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2", ready: false, waitingReason: "CrashLoopBackOff")));
        Assert.Equal(ConnectorState.Offline, crashing.Status.State);
        Assert.Equal("CrashLoopBackOff", Condition(crashing, ConditionTypes.Online).Reason);
    }

    [Fact]
    public void A_connector_online_by_its_own_report_but_not_yet_ready_counts_as_starting()
    {
        var connector = Connector(users: 3).WithStatus(desired: 2);
        var report = new ConnectorStatusReport { State = ConnectorReportState.Online, Reason = "Connected", Message = "agent user 'bot2' is online and subscribed" };
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2", ready: false, report: report)));

        Assert.Equal(ConnectorState.Online, plan.Status.State);
        var row = plan.Status.Connectors!.Single(c => c.Pod == "sales-1");
        Assert.False(row.Connected);
        Assert.Equal("Connecting", row.Reason);
        Assert.DoesNotContain(plan.Events, e => e.Type == "Warning");
    }
}
