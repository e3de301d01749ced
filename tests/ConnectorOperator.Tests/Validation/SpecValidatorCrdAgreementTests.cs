using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Validation;

/// <summary>
/// The operator must not trust that the installed CRD is current, so the SpecValidator has to reject everything the
/// generated CRD rejects (it may reject more: catalogue values). Each case goes through both.
/// </summary>
public sealed class SpecValidatorCrdAgreementTests(CelEvaluatorFixture cel) : IClassFixture<CelEvaluatorFixture>
{
    private static readonly Dictionary<string, Func<JsonObject>> Invalid = new()
    {
        ["production with one agent user"] = () => Samples.ValidConnector().InProduction(),
        ["production with minReplicas 1"] = () => Samples.ValidConnector().WithTwoAgentUsers().InProduction().With("scaling", new JsonObject { ["minReplicas"] = 1 }),
        ["maxReplicas below minReplicas"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["minReplicas"] = 4, ["maxReplicas"] = 3 }),
        ["maxReplicas 0"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["maxReplicas"] = 0 }),
        ["conversationsPerConnector 0"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["conversationsPerConnector"] = 0 }),
        ["conversationsPerConnector above the connector's limit"] = () => Samples.ValidConnector().With("scaling",
            new JsonObject { ["conversationsPerConnector"] = AgentConnectorRules.MaxConversationsPerConnector + 1 }),
        ["negative stabilization"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["scaleDownStabilizationSeconds"] = -1 }),
        ["negative scale-up stabilization"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["scaleUpStabilizationSeconds"] = -1 }),
        ["negative expected conversations"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["expectedConcurrentConversations"] = -1 }),
        ["negative replicas"] = () => Samples.ValidConnector().With("replicas", -1),
        ["http webhook in production"] = () => Samples.ValidConnector().WithTwoAgentUsers().InProduction().With("externalWebhook", new JsonObject { ["url"] = "http://h.example.com" }),
        ["ftp webhook"] = () => Samples.ValidConnector().With("externalWebhook", new JsonObject { ["url"] = "ftp://h.example.com" }),
        ["webhook key with a space"] = () => Samples.ValidConnector().With("externalWebhook", new JsonObject
        {
            ["url"] = "https://h.example.com",
            ["apiKeySecretRef"] = new JsonObject { ["name"] = "hook", ["key"] = "api key" },
        }),
        ["credential in customConfiguration"] = () => Samples.ValidConnector().With("customConfiguration", new JsonObject { ["lpPassword"] = "x" }),
        ["identity key in customConfiguration"] = () => Samples.ValidConnector().With("customConfiguration", new JsonObject { ["lpUserRole"] = "MANAGER" }),
        ["too many customConfiguration entries"] = () => Samples.ValidConnector().With("customConfiguration",
            new JsonObject(Enumerable.Range(0, 65).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)"v")))),
        ["login name with a space"] = () => Replace(Samples.ValidConnector(), "loginName", "bot agent"),
        ["duplicate login name"] = () => Replace(Samples.ValidConnector().WithTwoAgentUsers(), "loginName", "bot-agent-1", index: 1),
        ["upper-case secret name"] = () => Replace(Samples.ValidConnector(), "credentialsSecretRef", new JsonObject { ["name"] = "Bot-Agent" }),
        ["no agent users"] = () => Samples.ValidConnector().With("agentUsers", new JsonArray()),
        ["account id with letters"] = () => Samples.ValidConnector().With("accountId", "le123"),
        ["fallback skill with letters"] = () => Samples.ValidConnector().With("fallbackSkillId", "sales"),
        ["bot id with a space"] = () => Samples.ValidConnector().With("bot", new JsonObject { ["id"] = "my bot" }),
        ["bot endpoint without scheme"] = () => Samples.ValidConnector().With("bot", new JsonObject { ["id"] = "b", ["endpoint"] = "bots.example.com" }),
        ["missing conversation type"] = () => Samples.ValidConnector().With("conversationType", null),
    };

    private static readonly Dictionary<string, Func<JsonObject>> Valid = new()
    {
        ["minimal demo"] = Samples.ValidConnector,
        ["production with two agent users"] = () => Samples.ValidConnector().WithTwoAgentUsers().InProduction(),
        ["http webhook in demo"] = () => Samples.ValidConnector().With("externalWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9000/hook" }),
        ["more replicas than agent users"] = () => Samples.ValidConnector().With("replicas", 5),
        ["zero replicas in production"] = () => Samples.ValidConnector().WithTwoAgentUsers().InProduction().With("replicas", 0),
        ["conversationsPerConnector above the baseline"] = () => Samples.ValidConnector().With("scaling", new JsonObject { ["conversationsPerConnector"] = 51 }),
        ["conversationsPerConnector at the connector's limit"] = () => Samples.ValidConnector().With("scaling",
            new JsonObject { ["conversationsPerConnector"] = AgentConnectorRules.MaxConversationsPerConnector }),
        ["role Manager on Chat"] = () => Samples.ValidConnector().With("conversationType", "Chat").With("role", "Manager"),
        ["one agent user stopped"] = () => Replace(Samples.ValidConnector().WithTwoAgentUsers(), "running", false, index: 1),
        ["known custom configuration"] = () => Samples.ValidConnector().With("customConfiguration", new JsonObject { ["messageDelay"] = "500" }),
    };

    public static TheoryData<string> InvalidCases() => [.. Invalid.Keys];

    public static TheoryData<string> ValidCases() => [.. Valid.Keys];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Both_the_crd_and_the_spec_validator_reject(string name)
    {
        var crdErrors = GeneratedCrd.Validate(Invalid[name](), cel.Evaluator);
        Assert.True(crdErrors.Count > 0, $"The CRD accepted: {name}");
        var result = GeneratedCrd.ValidateSpec(Invalid[name]());
        Assert.True(result.Errors.Count > 0, $"The SpecValidator accepted what the CRD rejects ({name}): {string.Join("; ", crdErrors)}");
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Both_the_crd_and_the_spec_validator_accept(string name)
    {
        var crdErrors = GeneratedCrd.Validate(Valid[name](), cel.Evaluator);
        Assert.True(crdErrors.Count == 0, string.Join("; ", crdErrors));
        var result = GeneratedCrd.ValidateSpec(Valid[name]());
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    private static JsonObject Replace(JsonObject connector, string field, JsonNode value, int index = 0)
    {
        connector.Spec()["agentUsers"]![index]![field] = value;
        return connector;
    }
}
