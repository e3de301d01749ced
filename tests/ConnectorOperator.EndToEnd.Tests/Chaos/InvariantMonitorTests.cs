using System.Text.Json.Nodes;
using ConnectorOperator.Chaos;
using ConnectorOperator.TestSupport;
using static ConnectorOperator.EndToEnd.Tests.Chaos.ChaosState;

namespace ConnectorOperator.EndToEnd.Tests.Chaos;

/// <summary>The chaos run's invariants: each violation is seen and counted once, and what the operator may do is not a violation.</summary>
public sealed class InvariantMonitorTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Two_live_pods_for_one_agent_user_count_as_one_violation_however_often_they_are_seen()
    {
        var monitor = new InvariantMonitor(_time);
        var bot = Connector("a", replicas: 2);
        JsonObject[] pods = [Pod("a-1", bot, User("a", 1)), Pod("a-2", bot, User("a", 1))];

        monitor.Check([bot], pods);
        _time.Advance(TimeSpan.FromSeconds(1));
        monitor.Check([bot], pods);

        Assert.Equal(1, monitor.DuplicateAgentUserPods);
        Assert.Contains(monitor.Examples, e => e.Contains(User("a", 1), StringComparison.Ordinal));
    }

    [Fact]
    public void A_terminating_pod_still_holds_its_agent_user_so_a_replacement_beside_it_is_a_violation()
    {
        var monitor = new InvariantMonitor(_time);
        var bot = Connector("a", replicas: 1);

        monitor.Check([bot], [Pod("a-1", bot, User("a", 1), terminating: true), Pod("a-2", bot, User("a", 1))]);

        Assert.Equal(1, monitor.DuplicateAgentUserPods);
    }

    [Fact]
    public void Pods_of_different_agent_users_are_no_violation()
    {
        var monitor = new InvariantMonitor(_time);
        var bot = Connector("a", replicas: 3);

        monitor.Check([bot], [Pod("a-1", bot, User("a", 1)), Pod("a-2", bot, User("a", 2)), Pod("a-3", bot, User("a", 3))]);

        Assert.Equal(0, monitor.DuplicateAgentUserPods);
        Assert.Equal(0, monitor.PodsAboveDesired);
        Assert.Equal(0, monitor.OrphanPods);
    }

    [Fact]
    public void A_rollout_surge_of_one_pod_above_desired_is_allowed_and_a_second_one_is_counted()
    {
        var monitor = new InvariantMonitor(_time);
        var bot = Connector("a", replicas: 1);
        monitor.Check([bot], [Pod("a-1", bot, User("a", 1)), Pod("a-2", bot, User("a", 2))]);
        Assert.Equal(0, monitor.PodsAboveDesired);

        monitor.Check([bot], [Pod("a-1", bot, User("a", 1)), Pod("a-2", bot, User("a", 2)), Pod("a-3", bot, User("a", 3))]);

        Assert.Equal(1, monitor.PodsAboveDesired);
    }

    [Fact]
    public void After_a_scale_down_the_old_desired_count_holds_only_for_the_window_the_operator_needs_to_see_it()
    {
        var monitor = new InvariantMonitor(_time);
        var before = Connector("a", replicas: 3);
        monitor.Check([before], [Pod("a-1", before, User("a", 1)), Pod("a-2", before, User("a", 2))]);
        var after = Connector("a", replicas: 1);

        monitor.Check([after], [Pod("a-1", after, User("a", 1)), Pod("a-2", after, User("a", 2)), Pod("a-3", after, User("a", 3))]);
        Assert.Equal(0, monitor.PodsAboveDesired);
        _time.Advance(InvariantMonitor.DesiredWindow + TimeSpan.FromSeconds(1));
        monitor.Check([after], [Pod("a-1", after, User("a", 1)), Pod("a-2", after, User("a", 2)), Pod("a-4", after, User("a", 3))]);

        Assert.Equal(1, monitor.PodsAboveDesired);
    }

    [Fact]
    public void A_pod_whose_AgentConnector_is_gone_counts_once_it_outlives_the_grace_period()
    {
        var monitor = new InvariantMonitor(_time);
        var orphan = Pod("gone-1", connector: null, User("gone", 1));

        monitor.Check([], [orphan]);
        _time.Advance(InvariantMonitor.OrphanGrace - TimeSpan.FromSeconds(1));
        monitor.Check([], [orphan]);
        Assert.Equal(0, monitor.OrphanPods);
        _time.Advance(TimeSpan.FromSeconds(2));
        monitor.Check([], [orphan]);
        monitor.Check([], [orphan]);

        Assert.Equal(1, monitor.OrphanPods);
    }

    [Fact]
    public void A_pod_removed_within_the_grace_period_after_its_AgentConnector_is_no_orphan()
    {
        var monitor = new InvariantMonitor(_time);
        monitor.Check([], [Pod("gone-1", connector: null, User("gone", 1))]);
        _time.Advance(TimeSpan.FromSeconds(5));
        monitor.Check([], []);
        _time.Advance(InvariantMonitor.OrphanGrace);
        monitor.Check([], []);

        Assert.Equal(0, monitor.OrphanPods);
    }

    [Fact]
    public void Converged_means_every_AgentConnector_has_its_pods_ready_at_its_generation_and_no_pod_is_left_over()
    {
        var online = Connector("a", replicas: 2);
        var stopped = Connector("b", replicas: 2, running: false);
        JsonObject[] pods = [Pod("a-1", online, User("a", 1)), Pod("a-2", online, User("a", 2))];
        Assert.Empty(InvariantMonitor.NotConverged([online, stopped], pods));

        Assert.Single(InvariantMonitor.NotConverged([online, stopped], [pods[0]]));
        Assert.Single(InvariantMonitor.NotConverged([online, stopped], [.. pods, Pod("gone-1", connector: null, User("gone", 1))]));
        Assert.Single(InvariantMonitor.NotConverged([online, stopped], [pods[0], Pod("a-2", online, User("a", 2), terminating: true)]));
        online["metadata"]!["generation"] = 2;
        Assert.Single(InvariantMonitor.NotConverged([online, stopped], pods));
    }
}
