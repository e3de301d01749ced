using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Models;
using k8s.Models;

namespace ConnectorOperator.Tests.Controllers;

public class PodExpectationsTests
{
    private static readonly ObjectKey Owner = new("bots", "demo");
    private static readonly V1Pod Present = new() { Metadata = new V1ObjectMeta { Name = "present" } };

    [Fact]
    public void A_failed_create_leaves_the_other_creates_of_the_pass_expected_until_the_cache_shows_them()
    {
        var expectations = new PodExpectations(new ManualTimeProvider());
        expectations.ExpectCreate(Owner, "demo-0");
        expectations.ExpectCreate(Owner, "demo-1");

        expectations.CreateFailed(Owner, "demo-1");

        Assert.False(expectations.Satisfied(Owner, _ => null));
        Assert.True(expectations.Satisfied(Owner, name => name == "demo-0" ? Present : null));
    }

    [Fact]
    public void Expectations_are_met_once_the_cache_shows_every_create_and_no_live_deleted_pod()
    {
        var expectations = new PodExpectations(new ManualTimeProvider());
        expectations.ExpectCreate(Owner, "demo-2");
        expectations.ExpectDelete(Owner, "demo-0");

        Assert.False(expectations.Satisfied(Owner, name => name == "demo-0" ? Present : null));
        Assert.True(expectations.Satisfied(Owner, name => name == "demo-2" ? Present : null));
    }
}
