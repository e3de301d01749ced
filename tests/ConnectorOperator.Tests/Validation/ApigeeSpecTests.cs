using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Validation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Validation;

/// <summary>apigee_*: the client secret only through spec.externalWebhook.apigeeClientSecretRef, the rest as custom configuration.</summary>
public sealed class ApigeeSpecTests
{
    private static void WithApigee(AgentConnectorSpec spec)
    {
        spec.ExternalWebhook = new ExternalWebhook
        {
            Url = "https://hooks.example.com/b1",
            ApigeeClientSecretRef = new SecretKeyReference { Name = "apigee" },
        };
        spec.CustomConfiguration = new()
        {
            [CustomConfigurationKeys.ApigeeAuthUrl] = "https://auth.example.com/oauth/token",
            [CustomConfigurationKeys.ApigeeClientId] = "brand-client",
            [CustomConfigurationKeys.ApigeeAudience] = "bots",
        };
    }

    [Fact]
    public void A_complete_apigee_configuration_is_valid_and_reaches_the_pod_as_a_secret_reference()
    {
        var connector = Connector(users: 1, configure: WithApigee);
        Assert.True(SpecValidator.Validate(connector.Spec).IsValid, ValidationResult.Describe(SpecValidator.Validate(connector.Spec).Errors));

        var pod = PodFactory.Build(connector, connector.Spec.AgentUsers[0], ApiKeys(connector)["bot1"], 0, "abc", Settings);

        var secret = Assert.Single(pod.Spec.Containers[0].Env!, e => e.Name == ConnectorEnvironment.ApigeeClientSecret);
        Assert.Null(secret.Value);
        Assert.Equal("apigee", secret.ValueFrom!.SecretKeyRef!.Name);
        Assert.Equal(AgentCredentialKeys.DefaultApigeeClientSecret, secret.ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void An_inline_client_secret_is_rejected_naming_the_secret_reference_field()
    {
        var spec = Connector(users: 1, configure: WithApigee).Spec;
        spec.CustomConfiguration![CustomConfigurationKeys.ApigeeClientSecret] = "do-not-echo-me";

        var error = Assert.Single(SpecValidator.Validate(spec).Errors);

        Assert.Equal("spec.customConfiguration[apigee_client_secret]", error.Field);
        Assert.Contains("spec.externalWebhook.apigeeClientSecretRef", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-echo-me", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_auth_url_without_the_secret_reference_or_client_id_is_an_error_for_each()
    {
        var spec = Connector(users: 1, configure: WithApigee).Spec;
        spec.ExternalWebhook!.ApigeeClientSecretRef = null;
        spec.CustomConfiguration!.Remove(CustomConfigurationKeys.ApigeeClientId);

        var fields = SpecValidator.Validate(spec).Errors.Select(e => e.Field).ToList();

        Assert.Equal(["spec.externalWebhook.apigeeClientSecretRef", "spec.customConfiguration[apigee_client_id]"], fields);
    }

    [Fact]
    public void Apigee_without_an_external_webhook_and_a_secret_reference_without_the_auth_url_are_errors()
    {
        var noWebhook = Connector(users: 1, configure: WithApigee).Spec;
        noWebhook.ExternalWebhook = null;
        Assert.Contains(SpecValidator.Validate(noWebhook).Errors, e => e.Field == "spec.customConfiguration[apigee_auth_url]" && e.Message.Contains("spec.externalWebhook", StringComparison.Ordinal));

        var noUrl = Connector(users: 1, configure: WithApigee).Spec;
        noUrl.CustomConfiguration!.Remove(CustomConfigurationKeys.ApigeeAuthUrl);
        Assert.Contains(SpecValidator.Validate(noUrl).Errors, e => e.Field == "spec.externalWebhook.apigeeClientSecretRef" && e.Message.Contains("apigee_auth_url", StringComparison.Ordinal));
    }

    [Fact]
    public void Changing_the_apigee_secret_reference_changes_the_revision()
    {
        var connector = Connector(users: 1, configure: WithApigee);
        var before = ConnectorRevision.Compute(connector.Spec, Settings, new Dictionary<string, string?>());
        connector.Spec.ExternalWebhook!.ApigeeClientSecretRef!.Key = "other";

        Assert.NotEqual(before, ConnectorRevision.Compute(connector.Spec, Settings, new Dictionary<string, string?>()));
    }
}
