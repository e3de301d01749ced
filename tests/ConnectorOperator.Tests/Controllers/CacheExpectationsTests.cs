using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Models;
using k8s.Models;

namespace ConnectorOperator.Tests.Controllers;

public class CacheExpectationsTests
{
    private static readonly ObjectKey Owner = new("bots", "demo");
    private static readonly V1Pod Present = new() { Metadata = new V1ObjectMeta { Name = "present" } };

    [Fact]
    public void A_failed_create_leaves_the_other_creates_of_the_pass_expected_until_the_cache_shows_them()
    {
        var expectations = new CacheExpectations(new ManualTimeProvider());
        expectations.ExpectCreate(Owner, "demo-0");
        expectations.ExpectCreate(Owner, "demo-1");

        expectations.CreateFailed(Owner, "demo-1");

        Assert.False(expectations.Satisfied(Owner, _ => null));
        Assert.True(expectations.Satisfied(Owner, name => name == "demo-0" ? Present : null));
    }

    [Fact]
    public void Expectations_are_met_once_the_cache_shows_every_create_and_no_live_deleted_pod()
    {
        var expectations = new CacheExpectations(new ManualTimeProvider());
        expectations.ExpectCreate(Owner, "demo-2");
        expectations.ExpectDelete(Owner, "demo-0");

        Assert.False(expectations.Satisfied(Owner, name => name == "demo-0" ? Present : null));
        Assert.True(expectations.Satisfied(Owner, name => name == "demo-2" ? Present : null));
    }

    [Fact]
    public void A_cached_connector_at_a_version_its_own_writes_replaced_is_behind_until_the_cache_moves_on()
    {
        var expectations = new CacheExpectations(new ManualTimeProvider());
        expectations.ExpectReplaced(Owner, "10");
        expectations.ExpectReplaced(Owner, "11");

        Assert.False(expectations.Current(Owner, "10"));
        Assert.False(expectations.Current(Owner, "11"));
        Assert.True(expectations.Current(Owner, "12"));
        // Caught up once: an older version seen again (a relist from a lagging server) no longer holds it back.
        Assert.True(expectations.Current(Owner, "10"));
    }

    [Fact]
    public void Replaced_versions_expire_so_a_cache_that_never_catches_up_does_not_stop_the_connector()
    {
        var time = new ManualTimeProvider();
        var expectations = new CacheExpectations(time);
        expectations.ExpectReplaced(Owner, "10");
        time.Advance(TimeSpan.FromSeconds(31));

        Assert.True(expectations.Current(Owner, "10"));
    }

    [Fact]
    public void A_created_budget_is_pending_until_the_cache_shows_it_or_it_expires()
    {
        var time = new ManualTimeProvider();
        var expectations = new CacheExpectations(time);
        Assert.False(expectations.BudgetPending(Owner, cached: false));

        expectations.ExpectBudget(Owner);
        Assert.True(expectations.BudgetPending(Owner, cached: false));
        Assert.False(expectations.BudgetPending(Owner, cached: true));
        // Seen once: if it goes away later, it is created again.
        Assert.False(expectations.BudgetPending(Owner, cached: false));

        expectations.ExpectBudget(Owner);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(expectations.BudgetPending(Owner, cached: false));
    }

    [Fact]
    public void Forgetting_a_connector_drops_every_expectation_of_it()
    {
        var expectations = new CacheExpectations(new ManualTimeProvider());
        expectations.ExpectCreate(Owner, "demo-0");
        expectations.ExpectReplaced(Owner, "10");
        expectations.ExpectBudget(Owner);

        expectations.Forget(Owner);

        Assert.True(expectations.Satisfied(Owner, _ => null));
        Assert.True(expectations.Current(Owner, "10"));
        Assert.False(expectations.BudgetPending(Owner, cached: false));
    }
}
