using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

public class ConnectorRevisionTests
{
    private static readonly Dictionary<string, string?> Secrets = new() { ["bot1-creds"] = "7", ["bot2-creds"] = "9" };

    public static TheoryData<string, string> PinnedSpecs => new()
    {
        { "demo", "698665650d" },
        { "production", "8c6cc25720" },
        { "webhook-and-template", "5bbca43afc" },
    };

    /// <summary>
    /// An operator upgrade must restart nothing: every running connector carries its revision, and a new hash for
    /// an unchanged spec would roll all of them. These hashes were computed before the restart annotation,
    /// per-agent-user running and conversationsPerConnector above 50 existed; new fields enter the revision only when set.
    /// </summary>
    [Theory]
    [MemberData(nameof(PinnedSpecs))]
    public void Revision_of_an_unchanged_spec_stays_what_earlier_operators_computed(string fixture, string pinned)
    {
        Assert.Equal(pinned, ConnectorRevision.Compute(Fixture(fixture).Spec, Settings, Secrets));
    }

    [Fact]
    public void A_restart_request_changes_the_revision_and_each_new_value_changes_it_again()
    {
        var connector = Fixture("demo");
        var before = ConnectorRevision.Compute(connector, Settings, Secrets);

        connector.Metadata.Annotations = new Dictionary<string, string> { [ConnectorLabels.RestartedAt] = "2026-12-04T01:00:00Z" };
        var restarted = ConnectorRevision.Compute(connector, Settings, Secrets);
        connector.Metadata.Annotations[ConnectorLabels.RestartedAt] = "2026-12-04T02:00:00Z";
        var again = ConnectorRevision.Compute(connector, Settings, Secrets);

        Assert.Equal("698665650d", before);
        Assert.NotEqual(before, restarted);
        Assert.NotEqual(restarted, again);
        Assert.Equal(again, ConnectorRevision.Compute(connector, Settings, Secrets));
    }

    [Fact]
    public void Other_annotations_leave_the_revision_alone()
    {
        var connector = Fixture("demo");
        connector.Metadata.Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" };

        Assert.Equal("698665650d", ConnectorRevision.Compute(connector, Settings, Secrets));
    }

    private static AgentConnector Fixture(string name) => name switch
    {
        "demo" => Connector(users: 2),
        "production" => Connector(users: 3, env: DeploymentEnvironment.Production, configure: s =>
        {
            s.Role = AgentRole.Manager;
            s.FallbackSkillId = "42";
            s.Accessibility = false;
            s.CustomConfiguration = new() { ["messageDelay"] = "500", ["tileDisplay"] = "horizontal" };
            s.Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 3, ConversationsPerConnector = 40 };
        }),
        "webhook-and-template" => Connector(users: 2, configure: s =>
        {
            s.ConversationType = ConversationType.Chat;
            s.Bot.Endpoint = "https://bots.example.com/b1";
            s.ExternalWebhook = new ExternalWebhook { Url = "https://hooks.example.com/in", ApiKeySecretRef = new SecretKeyReference { Name = "hook", Key = "token" } };
            s.Image = "connector:1.2.3";
            s.PodTemplate = new ConnectorPodTemplate
            {
                NodeSelector = new() { ["pool"] = "bots" },
                Labels = new() { ["team"] = "care" },
                Affinity = JsonDocument.Parse("""{"nodeAffinity":{}}""").RootElement,
            };
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
