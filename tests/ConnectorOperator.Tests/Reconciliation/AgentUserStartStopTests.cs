using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

/// <summary>The Agent Connectors page starts and stops each connector (each agent user) on its own: agentUsers[].running.</summary>
public class AgentUserStartStopTests
{
    private static AgentUserStatus Row(ConnectorPlan plan, string loginName) => plan.Status.AgentUsers!.Single(r => r.LoginName == loginName);

    private static ConnectorOperator.Api.Condition Condition(ConnectorPlan plan, string type) => plan.Status.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void Stopping_one_agent_user_drains_only_its_connector_while_the_others_keep_serving()
    {
        var connector = Connector(users: 3, env: DeploymentEnvironment.Production, configure: s => s.AgentUsers[1].Running = false).WithStatus(desired: 2);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", conversations: 10), Pod("sales-1", "bot2", "rev2", conversations: 10)));

        var drain = Assert.Single(plan.Delete);
        Assert.Equal(("sales-1", "bot2"), (drain.Name, drain.AgentUser));
        Assert.Contains("stopped", drain.Reason, StringComparison.Ordinal);
        // Production still wants 2 connectors, so the spare agent user takes the stopped one's place.
        Assert.Equal(["bot3"], plan.Create.Select(c => c.AgentUser.LoginName));
        Assert.Equal(ConnectorState.Online, plan.Status.State);
        Assert.Equal("False", Condition(plan, ConditionTypes.Stopped).Status);
        Assert.Contains("stopped agent user(s): bot2", Condition(plan, ConditionTypes.Stopped).Message, StringComparison.Ordinal);
        Assert.Equal(("Stopping", "sales-1", false), (Row(plan, "bot2").State, Row(plan, "bot2").Pod, Row(plan, "bot2").Running));
        Assert.Equal(("Online", "sales-0", true), (Row(plan, "bot1").State, Row(plan, "bot1").Pod, Row(plan, "bot1").Running));
        Assert.Equal("Pending", Row(plan, "bot3").State);
    }

    [Fact]
    public void A_stopped_agent_user_gets_no_connector_and_its_row_says_stopped()
    {
        var connector = Connector(users: 2, configure: s =>
        {
            s.AgentUsers[0].Running = false;
            s.Replicas = 2;
        });
        var plan = ConnectorPlanner.Plan(Input(connector));

        Assert.Equal(["bot2"], plan.Create.Select(c => c.AgentUser.LoginName));
        var row = Row(plan, "bot1");
        Assert.Equal(("Stopped", "Stopped", null), (row.State, row.Reason, row.Pod));
        Assert.Equal("running is false for this agent user", row.Message);
        // Not a credentials problem: a stopped agent user is no reason to be Offline.
        Assert.DoesNotContain(plan.Status.Conditions!, c => c.Reason == "CredentialsMissing");
        var limited = Condition(plan, ConditionTypes.ScalingLimited);
        Assert.Equal("AgentUsersExhausted", limited.Reason);
        Assert.Contains("start the 1 stopped one(s)", limited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_agent_user_stopped_is_the_agent_connector_stopped_not_stalled()
    {
        var connector = Connector(users: 2, configure: s => s.AgentUsers.ForEach(u => u.Running = false)).WithStatus(desired: 0);
        var plan = ConnectorPlanner.Plan(Input(connector));

        Assert.Empty(plan.Create);
        Assert.Equal(ConnectorState.Stopped, plan.Status.State);
        Assert.Equal(("True", "Stopped"), (Condition(plan, ConditionTypes.Ready).Status, Condition(plan, ConditionTypes.Ready).Reason));
        Assert.Equal("False", Condition(plan, ConditionTypes.Stalled).Status);
        Assert.Equal("False", Condition(plan, ConditionTypes.ScalingLimited).Status);
        Assert.Contains("every agent user is stopped", Condition(plan, ConditionTypes.Stopped).Message, StringComparison.Ordinal);
        Assert.All(plan.Status.AgentUsers!, r => Assert.Equal("Stopped", r.State));
    }

    [Fact]
    public void Starting_a_stopped_agent_user_again_creates_its_connector()
    {
        var connector = Connector(users: 2, configure: s => s.Replicas = 2).WithStatus(desired: 1);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2")));

        Assert.Equal(["bot2"], plan.Create.Select(c => c.AgentUser.LoginName));
        Assert.Equal(2, plan.Status.DesiredReplicas);
    }

    [Fact]
    public void Agent_users_the_load_does_not_need_stand_by()
    {
        var connector = Connector(users: 3).WithStatus(desired: 1);
        var plan = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2")));

        Assert.Equal(["Online", "Standby", "Standby"], plan.Status.AgentUsers!.Select(r => r.State));
        Assert.Equal("NotNeeded", Row(plan, "bot2").Reason);
    }

    [Fact]
    public void An_agent_user_that_cannot_log_in_shows_offline_with_the_reason_in_its_row()
    {
        var connector = Connector(users: 2, configure: s => s.Replicas = 2);
        var plan = ConnectorPlanner.Plan(Input(connector) with
        {
            Credentials = new Dictionary<string, CredentialsInfo> { ["bot1"] = CredentialsInfo.FromKeys("bot1-creds", CredentialsInfo.ApiKeyKeys) },
        });

        var row = Row(plan, "bot2");
        Assert.Equal(("Offline", "CredentialsMissing"), (row.State, row.Reason));
        Assert.Contains("bot2-creds", row.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_and_starting_an_agent_user_restarts_no_other_connector()
    {
        var running = Connector(users: 2);
        var oneStopped = Connector(users: 2, configure: s => s.AgentUsers[1].Running = false);
        var secrets = new Dictionary<string, string?> { ["bot1-creds"] = "1", ["bot2-creds"] = "1" };

        Assert.Equal(ConnectorRevision.Compute(running.Spec, Settings, secrets), ConnectorRevision.Compute(oneStopped.Spec, Settings, secrets));
    }
}
