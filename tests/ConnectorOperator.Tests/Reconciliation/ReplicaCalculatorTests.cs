using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

public class ReplicaCalculatorTests
{
    private static ReplicaDecision Decide(Action<AgentConnectorSpec> configure, int users = 10, int current = 0, int load = 0, DateTimeOffset? since = null,
        DeploymentEnvironment env = DeploymentEnvironment.Demo, bool saturated = false, ScaleUpCandidate? up = null, DateTimeOffset? now = null) =>
        ReplicaCalculator.Decide(Connector(users, env, configure).Spec, users, current, load, since, now ?? Now, saturated, up);

    [Fact]
    public void Two_hundred_conversations_need_four_connectors() =>
        Assert.Equal(4, Decide(_ => { }, load: 200).Recommended);

    [Fact]
    public void Expected_load_counts_when_larger_than_observed() =>
        Assert.Equal(3, Decide(s => s.Scaling = new ScalingSpec { ExpectedConcurrentConversations = 120 }, load: 10).Desired);

    [Fact]
    public void Demo_floor_is_one_and_production_floor_is_two()
    {
        Assert.Equal(1, Decide(_ => { }).Desired);
        Assert.Equal(2, Decide(_ => { }, env: DeploymentEnvironment.Production).Desired);
    }

    [Fact]
    public void Production_never_goes_below_two_even_when_asked()
    {
        var decision = Decide(s => s.Replicas = 1, env: DeploymentEnvironment.Production);
        Assert.Equal(2, decision.Desired);
        Assert.Equal("ProductionMinimum", decision.LimitReason);
    }

    [Fact]
    public void Explicit_replicas_are_authoritative_over_load() =>
        Assert.Equal(3, Decide(s => s.Replicas = 3, load: 500).Desired);

    [Fact]
    public void Conversations_per_connector_changes_the_divisor() =>
        Assert.Equal(5, Decide(s => s.Scaling = new ScalingSpec { ConversationsPerConnector = 20 }, load: 81).Recommended);

    [Fact]
    public void Max_replicas_caps_and_says_why()
    {
        var decision = Decide(s => s.Scaling = new ScalingSpec { MaxReplicas = 3, ExpectedConcurrentConversations = 400 });
        Assert.Equal(3, decision.Desired);
        Assert.Equal("MaxReplicas", decision.LimitReason);
        Assert.Contains("maxReplicas", decision.LimitMessage);
    }

    [Fact]
    public void Agent_users_cap_the_count_because_each_connector_needs_its_own()
    {
        var decision = Decide(s => s.Scaling = new ScalingSpec { ExpectedConcurrentConversations = 200 }, users: 2);
        Assert.Equal(2, decision.Desired);
        Assert.Equal("AgentUsersExhausted", decision.LimitReason);
    }

    [Fact]
    public void Stopped_connector_wants_none() =>
        Assert.Equal(0, Decide(s => s.Running = false, load: 200).Desired);

    [Fact]
    public void Planned_load_scales_up_at_once() =>
        Assert.Equal(4, Decide(s => s.Scaling = new ScalingSpec { ExpectedConcurrentConversations = 200 }, current: 2, load: 10).Desired);

    [Fact]
    public void Observed_load_scales_up_once_it_has_asked_for_more_for_the_scale_up_window()
    {
        var first = Decide(_ => { }, current: 2, load: 200);
        Assert.Equal(2, first.Desired);
        Assert.Equal(4, first.Recommended);
        Assert.Equal(Now, first.ScaleUpCandidate!.Since);
        Assert.Equal(4, first.ScaleUpCandidate.Replicas);

        var during = Decide(_ => { }, current: 2, load: 200, up: first.ScaleUpCandidate, now: Now.AddSeconds(2));
        Assert.Equal(2, during.Desired);

        var after = Decide(_ => { }, current: 2, load: 200, up: during.ScaleUpCandidate, now: Now.AddSeconds(3));
        Assert.Equal(4, after.Desired);
        Assert.Null(after.ScaleUpCandidate);
    }

    [Fact]
    public void A_scale_up_after_the_window_goes_to_the_fewest_connectors_asked_for_during_it()
    {
        var first = Decide(_ => { }, current: 2, load: 160);
        var spike = Decide(_ => { }, current: 2, load: 260, up: first.ScaleUpCandidate, now: Now.AddSeconds(3));

        Assert.Equal(4, spike.Desired);
    }

    [Fact]
    public void Load_falling_back_cancels_a_pending_scale_up() =>
        Assert.Null(Decide(_ => { }, current: 4, load: 200, up: new ScaleUpCandidate { Since = Now.AddSeconds(-10), Replicas = 5 }).ScaleUpCandidate);

    [Fact]
    public void A_candidate_from_before_the_count_grew_does_not_shorten_the_next_window()
    {
        var decision = Decide(_ => { }, current: 4, load: 250, up: new ScaleUpCandidate { Since = Now.AddSeconds(-10), Replicas = 4 });

        Assert.Equal(4, decision.Desired);
        Assert.Equal(Now, decision.ScaleUpCandidate!.Since);
        Assert.Equal(5, decision.ScaleUpCandidate.Replicas);
    }

    [Fact]
    public void A_zero_scale_up_window_follows_the_observed_load_at_once() =>
        Assert.Equal(4, Decide(s => s.Scaling = new ScalingSpec { ScaleUpStabilizationSeconds = 0 }, current: 2, load: 200).Desired);

    [Fact]
    public void Production_minimum_is_not_held_back_by_the_scale_up_window() =>
        Assert.Equal(2, Decide(_ => { }, current: 1, load: 200, env: DeploymentEnvironment.Production).Desired);

    [Fact]
    public void Scale_down_waits_for_the_stabilization_window()
    {
        var first = Decide(_ => { }, current: 4, load: 10);
        Assert.Equal(4, first.Desired);
        Assert.Equal(1, first.Recommended);
        Assert.Equal(Now, first.ScaleDownCandidateSince);

        var during = Decide(_ => { }, current: 4, load: 10, since: Now.AddSeconds(-299));
        Assert.Equal(4, during.Desired);

        var after = Decide(_ => { }, current: 4, load: 10, since: Now.AddSeconds(-300));
        Assert.Equal(1, after.Desired);
        Assert.Null(after.ScaleDownCandidateSince);
    }

    [Fact]
    public void Load_rising_again_cancels_a_pending_scale_down() =>
        Assert.Null(Decide(_ => { }, current: 2, load: 90, since: Now.AddSeconds(-100)).ScaleDownCandidateSince);

    [Fact]
    public void Full_connectors_add_one_more_per_pass_because_demand_beyond_them_is_invisible()
    {
        Assert.Equal(3, Decide(_ => { }, current: 2, load: 100, saturated: true).Recommended);
        Assert.Equal(4, Decide(_ => { }, current: 3, load: 150, saturated: true).Recommended);
    }

    [Fact]
    public void A_set_that_just_absorbed_its_load_keeps_headroom_instead_of_flapping()
    {
        // 200 conversations filled four connectors, so a fifth came; 40 each must not shrink back to 4 full ones.
        var decision = Decide(_ => { }, current: 5, load: 200, since: Now.AddHours(-1));
        Assert.Equal(5, decision.Desired);
        Assert.Null(decision.ScaleDownCandidateSince);
    }
}
