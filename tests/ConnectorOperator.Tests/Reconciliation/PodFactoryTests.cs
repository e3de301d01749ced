using ConnectorOperator.Contracts;
using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

public class PodFactoryTests
{
    [Fact]
    public void Pod_is_named_by_serial_owned_by_the_connector_and_restricted()
    {
        var connector = Connector(users: 1);
        var user = connector.Spec.AgentUsers[0];
        var pod = PodFactory.Build(connector, user, ApiKeys(connector)["bot1"], 7, "abc", Settings);

        Assert.Equal("sales-7", pod.Metadata.Name);
        var owner = Assert.Single(pod.Metadata.OwnerReferences!);
        Assert.True(owner.Controller);
        Assert.Equal("uid-sales", owner.Uid);
        Assert.Equal("sales", pod.Metadata.Labels![ConnectorLabels.Connector]);
        Assert.Equal("abc", pod.Metadata.Annotations![ConnectorLabels.Revision]);
        Assert.Equal("bot1", pod.Metadata.Annotations[ConnectorLabels.AgentUser]);

        var c = Assert.Single(pod.Spec.Containers);
        Assert.True(c.SecurityContext!.RunAsNonRoot);
        Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(c.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], c.SecurityContext.Capabilities!.Drop);
        Assert.Equal("RuntimeDefault", c.SecurityContext.SeccompProfile!.Type);
        Assert.NotNull(c.StartupProbe);
        Assert.NotNull(c.LivenessProbe);
        Assert.Equal("/readyz", c.ReadinessProbe!.HttpGet!.Path);
        Assert.Equal("/drain", c.Lifecycle!.PreStop!.HttpGet!.Path);
        Assert.True(pod.Spec.TerminationGracePeriodSeconds > Settings.DrainSeconds);
        Assert.NotEmpty(pod.Spec.TopologySpreadConstraints!);
    }

    [Fact]
    public void Credentials_reach_the_container_only_as_secret_references()
    {
        var connector = Connector(users: 1);
        var pod = PodFactory.Build(connector, connector.Spec.AgentUsers[0], ApiKeys(connector)["bot1"], 0, "abc", Settings);
        var env = pod.Spec.Containers[0].Env!;

        foreach (var name in new[] { ConnectorEnvironment.AppKey, ConnectorEnvironment.AppSecret, ConnectorEnvironment.AccessToken, ConnectorEnvironment.AccessTokenSecret })
        {
            var variable = Assert.Single(env, e => e.Name == name);
            Assert.Null(variable.Value);
            Assert.Equal("bot1-creds", variable.ValueFrom!.SecretKeyRef!.Name);
        }
        Assert.DoesNotContain(env, e => e.Name == ConnectorEnvironment.Password);
        Assert.Equal("12345678", env.Single(e => e.Name == ConnectorEnvironment.AccountId).Value);
    }

    [Fact]
    public void Revision_changes_with_configuration_and_secret_content_but_not_with_scaling()
    {
        var a = Connector(users: 2);
        var b = Connector(users: 2, configure: s => s.CustomConfiguration = new() { ["messageDelay"] = "500" });
        var c = Connector(users: 2, configure: s => s.Scaling = new() { MinReplicas = 2, ExpectedConcurrentConversations = 80 });
        var secrets = new Dictionary<string, string?> { ["bot1-creds"] = "1" };
        var rotated = new Dictionary<string, string?> { ["bot1-creds"] = "2" };

        var baseline = ConnectorRevision.Compute(a.Spec, Settings, secrets);
        Assert.NotEqual(baseline, ConnectorRevision.Compute(b.Spec, Settings, secrets));
        Assert.NotEqual(baseline, ConnectorRevision.Compute(a.Spec, Settings, rotated));
        Assert.Equal(baseline, ConnectorRevision.Compute(c.Spec, Settings, secrets));
    }
}
