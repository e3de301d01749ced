using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;

namespace ConnectorOperator.Tests.Reconciliation;

/// <summary>
/// Pins the revision hash of fixture specs. A changed hash rolls every connector pod on upgrade, so a model or
/// serializer change must leave these exact values; the specs are JSON text, independent of the C# types.
/// </summary>
public sealed class RevisionHashPinTests
{
    private static readonly OperatorSettings Settings = new() { DefaultImage = "connector:test" };

    private static readonly Dictionary<string, string?> Secrets = new() { ["bot1-creds"] = "41", ["bot2-creds"] = "57" };

    private const string Minimal = """
        {"bot":{"id":"bot-1"},"accountId":"12345678","conversationType":"Messaging","environment":"Demo",
         "agentUsers":[{"loginName":"bot1","credentialsSecretRef":{"name":"bot1-creds"}}]}
        """;

    private const string Full = """
        {"bot":{"id":"bot-2","endpoint":"https://bots.example.com/hook"},"accountId":"87654321","conversationType":"Chat",
         "role":"Manager","environment":"Production","fallbackSkillId":"1234","accessibility":true,"image":"connector:9",
         "externalWebhook":{"url":"https://hooks.example.com","apiKeySecretRef":{"name":"hook","key":"apiKey"}},
         "customConfiguration":{"zeta":"1","alpha":"two"},
         "scaling":{"minReplicas":2,"maxReplicas":4,"conversationsPerConnector":40},
         "agentUsers":[{"loginName":"bot2","credentialsSecretRef":{"name":"bot2-creds"}},{"loginName":"bot1","credentialsSecretRef":{"name":"bot1-creds"}}],
         "podTemplate":{
           "resources":{"requests":{"cpu":"500m","memory":"256Mi"},"limits":{"memory":"512Mi"}},
           "nodeSelector":{"pool":"bots"},
           "tolerations":[{"key":"dedicated","operator":"Equal","value":"bots","effect":"NoSchedule"},{"key":"slow","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}],
           "affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"topologyKey":"kubernetes.io/hostname"}}]}},
           "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway"}],
           "priorityClassName":"bots-high","labels":{"team":"care"},"annotations":{"note":"x"}}}
        """;

    [Theory]
    [InlineData(Minimal, "ce51885768")]
    [InlineData(Full, "8584e035ba")]
    public void RevisionHashOfAFixtureSpecNeverChanges(string json, string expected)
    {
        var spec = JsonSerializer.Deserialize<AgentConnectorSpec>(json, AgentConnectorJsonContext.Default.Options)!;
        Assert.Equal(expected, ConnectorRevision.Compute(spec, Settings, Secrets));
    }
}
