using ConnectorOperator.Connector.Configuration;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class ApigeeSettingsTests
{
    private static Dictionary<string, string> Environment(string custom, string? secret = "client-secret-value", bool webhook = true)
    {
        var env = ConnectorSettingsTests.ValidApiKeyEnvironment();
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = custom;
        if (secret is not null) env["CONNECTOR_APIGEE_CLIENT_SECRET"] = secret;
        if (webhook) env["CONNECTOR_EXTERNAL_WEBHOOK_URL"] = "https://hooks.example.com/bot";
        return env;
    }

    [Fact]
    public void Apigee_fields_and_the_secret_variable_make_the_token_settings_with_the_client_credentials_grant_by_default()
    {
        var settings = ConnectorSettings.Read(Environment("""{"apigee_auth_url":"https://auth.example.com/token","apigee_client_id":"cid","apigee_audience":"bots"}"""), out var errors);

        Assert.Empty(errors);
        var apigee = settings!.Apigee!;
        Assert.Equal(new Uri("https://auth.example.com/token"), apigee.AuthUrl);
        Assert.Equal("client_credentials", apigee.GrantType);
        Assert.Equal("bots", apigee.Audience);
        Assert.Equal("cid", apigee.ClientId);
        Assert.Contains("client-secret-value", settings.SecretValues());
    }

    [Fact]
    public void An_inline_client_secret_is_refused_naming_the_secret_reference_field()
    {
        ConnectorSettings.Read(Environment("""{"apigee_auth_url":"https://auth.example.com/token","apigee_client_id":"cid","apigee_client_secret":"inline"}"""), out var errors);

        Assert.Contains(errors, e => e.Contains("'apigee_client_secret' is a secret", StringComparison.Ordinal)
            && e.Contains("spec.externalWebhook.apigeeClientSecretRef", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("inline", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"apigee_auth_url":"https://auth.example.com/token","apigee_client_id":"cid"}""", null, "CONNECTOR_APIGEE_CLIENT_SECRET is missing")]
    [InlineData("""{"apigee_auth_url":"https://auth.example.com/token"}""", "s3cret-value", "'apigee_client_id' is missing")]
    [InlineData("""{"apigee_client_id":"cid"}""", "s3cret-value", "'apigee_auth_url' is missing")]
    [InlineData("""{"apigee_auth_url":"ftp://auth.example.com","apigee_client_id":"cid"}""", "s3cret-value", "must be an absolute http(s) URL")]
    public void A_partial_apigee_configuration_is_an_error_that_names_what_is_missing(string custom, string? secret, string expected)
    {
        var settings = ConnectorSettings.Read(Environment(custom, secret), out var errors);

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Apigee_without_an_external_webhook_is_ignored_with_a_warning()
    {
        var settings = ConnectorSettings.Read(Environment("""{"apigee_auth_url":"https://auth.example.com/token","apigee_client_id":"cid"}""", webhook: false), out var errors);

        Assert.Empty(errors);
        Assert.Null(settings!.Apigee);
        Assert.Contains(settings.Warnings, w => w.Contains("apigee_* settings are ignored", StringComparison.Ordinal));
    }
}
