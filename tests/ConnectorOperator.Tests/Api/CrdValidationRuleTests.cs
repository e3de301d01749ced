using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Api;

/// <summary>Each rule of the GENERATED CRD, CEL included: one object that passes, one that fails with the rule's message.</summary>
public sealed class CrdValidationRuleTests(CelEvaluatorFixture cel) : IClassFixture<CelEvaluatorFixture>
{
    private IReadOnlyList<FieldError> Validate(JsonObject obj) => GeneratedCrd.Validate(obj, cel.Evaluator);

    private void AssertValid(JsonObject obj)
    {
        var errors = Validate(obj);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private void AssertRejected(JsonObject obj, string path, string message)
    {
        var errors = Validate(obj);
        Assert.True(
            errors.Any(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)),
            $"Expected {path}: ...{message}... but got:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void Minimal_demo_connector_is_accepted()
    {
        AssertValid(Samples.ValidConnector());
    }

    [Fact]
    public void Production_with_one_agent_user_is_rejected()
    {
        AssertRejected(Samples.ValidConnector().InProduction(), "spec.agentUsers", AgentConnectorRules.ProductionAgentUsersMessage);
    }

    [Fact]
    public void Production_with_two_agent_users_is_accepted()
    {
        AssertValid(Samples.ValidConnector().WithTwoAgentUsers().InProduction());
    }

    [Fact]
    public void Production_min_replicas_below_two_is_rejected()
    {
        var connector = Samples.ValidConnector().WithTwoAgentUsers().InProduction()
            .With("scaling", new JsonObject { ["minReplicas"] = 1 });
        AssertRejected(connector, "spec.scaling.minReplicas", AgentConnectorRules.ProductionMinReplicasMessage);
    }

    [Fact]
    public void Production_min_replicas_of_two_and_demo_min_replicas_of_one_are_accepted()
    {
        AssertValid(Samples.ValidConnector().WithTwoAgentUsers().InProduction().With("scaling", new JsonObject { ["minReplicas"] = 2 }));
        AssertValid(Samples.ValidConnector().With("scaling", new JsonObject { ["minReplicas"] = 1 }));
    }

    [Fact]
    public void Max_replicas_below_min_replicas_is_rejected()
    {
        var connector = Samples.ValidConnector().With("scaling", new JsonObject { ["minReplicas"] = 3, ["maxReplicas"] = 2 });
        AssertRejected(connector, "spec.scaling.maxReplicas", AgentConnectorRules.MaxReplicasMessage);
    }

    [Fact]
    public void Max_replicas_equal_to_min_replicas_is_accepted()
    {
        AssertValid(Samples.ValidConnector().With("scaling", new JsonObject { ["minReplicas"] = 3, ["maxReplicas"] = 3 }));
    }

    [Fact]
    public void Http_webhook_in_production_is_rejected()
    {
        var connector = Samples.ValidConnector().WithTwoAgentUsers().InProduction()
            .With("externalWebhook", new JsonObject { ["url"] = "http://hooks.example.com/bot" });
        AssertRejected(connector, "spec.externalWebhook.url", AgentConnectorRules.WebhookHttpsInProductionMessage);
    }

    [Fact]
    public void Https_webhook_in_production_and_http_webhook_in_demo_are_accepted()
    {
        AssertValid(Samples.ValidConnector().WithTwoAgentUsers().InProduction()
            .With("externalWebhook", new JsonObject { ["url"] = "https://hooks.example.com/bot" }));
        AssertValid(Samples.ValidConnector().With("externalWebhook", new JsonObject
        {
            ["url"] = "http://hooks.example.com/bot",
            ["apiKeySecretRef"] = new JsonObject { ["name"] = "webhook", ["key"] = "apiKey" },
        }));
    }

    [Fact]
    public void Webhook_without_http_scheme_is_rejected()
    {
        var connector = Samples.ValidConnector().With("externalWebhook", new JsonObject { ["url"] = "ftp://hooks.example.com/bot" });
        AssertRejected(connector, "spec.externalWebhook.url", AgentConnectorRules.WebhookSchemeMessage);
    }

    public static TheoryData<string> ReservedKeys() =>
        [.. CustomConfigurationCatalogue.Entries.Where(e => e.IsReserved).Select(e => e.Key)];

    [Theory]
    [MemberData(nameof(ReservedKeys))]
    public void Reserved_custom_configuration_key_is_forbidden_naming_where_it_belongs(string key)
    {
        CustomConfigurationCatalogue.TryGet(key, out var entry);
        var connector = Samples.ValidConnector().With("customConfiguration", new JsonObject { [key] = "x" });
        var errors = Validate(connector);
        var error = Assert.Single(errors);
        Assert.Equal($"spec.customConfiguration[{key}]", error.Path);
        Assert.Equal(FieldErrorType.Forbidden, error.Type);
        Assert.Contains(AgentConnectorRules.ReservedKeyMessage(entry), error.Message, StringComparison.Ordinal);
        if (entry.UseInstead is { } instead)
        {
            Assert.Contains(instead, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ordinary_custom_configuration_keys_pass_the_crd()
    {
        AssertValid(Samples.ValidConnector().With("customConfiguration", new JsonObject
        {
            ["messageDelay"] = "500",
            ["tileDisplay"] = "horizontal",
            ["someFutureKey"] = "anything",
        }));
    }

    [Theory]
    [InlineData("bot agent")]
    [InlineData("bot\tagent")]
    [InlineData("")]
    public void Login_name_with_whitespace_or_empty_is_rejected(string loginName)
    {
        var connector = Samples.ValidConnector();
        connector.Spec()["agentUsers"]![0]!["loginName"] = loginName;
        AssertRejected(connector, "spec.agentUsers[0].loginName", "should match");
    }

    [Fact]
    public void Duplicate_login_names_are_rejected()
    {
        var connector = Samples.ValidConnector().WithTwoAgentUsers();
        connector.Spec()["agentUsers"]![1]!["loginName"] = "bot-agent-1";
        var errors = Validate(connector);
        Assert.Contains(errors, e => e.Path == "spec.agentUsers[1]" && e.Type == FieldErrorType.Duplicate);
    }

    [Fact]
    public void Missing_required_fields_are_reported()
    {
        var connector = Samples.ValidConnector();
        connector.Spec().Remove("accountId");
        connector.Spec().Remove("conversationType");
        var errors = Validate(connector);
        Assert.Contains(errors, e => e.Path == "spec.accountId" && e.Type == FieldErrorType.Required);
        Assert.Contains(errors, e => e.Path == "spec.conversationType" && e.Type == FieldErrorType.Required);
    }

    [Fact]
    public void Empty_agent_user_list_is_rejected()
    {
        AssertRejected(Samples.ValidConnector().With("agentUsers", new JsonArray()), "spec.agentUsers", "should have at least 1 items");
    }

    [Fact]
    public void Account_id_must_be_digits()
    {
        AssertRejected(Samples.ValidConnector().With("accountId", "le12345"), "spec.accountId", "should match");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AgentConnectorRules.MaxConversationsPerConnector + 1)]
    public void Conversations_per_connector_outside_1_to_the_connectors_limit_is_rejected(int value)
    {
        AssertRejected(Samples.ValidConnector().With("scaling", new JsonObject { ["conversationsPerConnector"] = value }),
            "spec.scaling.conversationsPerConnector", "should be");
    }

    [Theory]
    [InlineData(51)]
    [InlineData(AgentConnectorRules.MaxConversationsPerConnector)]
    public void Conversations_per_connector_above_the_baseline_of_50_is_accepted(int value)
    {
        AssertValid(Samples.ValidConnector().With("scaling", new JsonObject { ["conversationsPerConnector"] = value }));
    }

    [Fact]
    public void Negative_replicas_are_rejected_and_more_replicas_than_agent_users_are_not()
    {
        AssertRejected(Samples.ValidConnector().With("replicas", -1), "spec.replicas", "should be greater than or equal to 0");
        AssertValid(Samples.ValidConnector().With("replicas", 5));
    }

    [Fact]
    public void Unknown_environment_is_rejected()
    {
        AssertRejected(Samples.ValidConnector().With("environment", "Staging"), "spec.environment", "Unsupported value");
    }

    [Fact]
    public void Pod_template_passes_affinity_through_and_types_tolerations()
    {
        AssertValid(Samples.ValidConnector().With("podTemplate", JsonNode.Parse("""
            {
              "resources": {"requests": {"cpu": "100m"}},
              "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "bots", "effect": "NoSchedule"}],
              "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}},
              "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"}]
            }
            """)));
        AssertRejected(Samples.ValidConnector().With("podTemplate", JsonNode.Parse("""{"tolerations": [{"tolerationSeconds": "soon"}]}""")),
            "spec.podTemplate.tolerations[0].tolerationSeconds", "Invalid value");
    }
}
