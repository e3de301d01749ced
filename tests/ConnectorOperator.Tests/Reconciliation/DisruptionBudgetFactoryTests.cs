using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

public class DisruptionBudgetFactoryTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(5, 4)]
    public void Budget_lets_one_connector_go_at_a_time_and_never_pins_a_single_one(int desired, int minAvailable)
    {
        var budget = DisruptionBudgetFactory.Build(Connector(users: 5), desired);

        Assert.Equal(minAvailable, budget.Spec.MinAvailable!.ToInt());
        Assert.Null(budget.Spec.MaxUnavailable);
        Assert.Equal(ConnectorLabels.Selector("sales"), budget.Spec.Selector!.MatchLabels);
    }

    [Fact]
    public void A_budget_written_by_an_older_operator_with_1_of_1_is_rewritten()
    {
        var connector = Connector(users: 1);
        var old = DisruptionBudgetFactory.Build(connector, 1);
        old.Spec.MinAvailable = 1;

        Assert.False(DisruptionBudgetFactory.UpToDate(old, DisruptionBudgetFactory.Build(connector, 1)));
    }
}
