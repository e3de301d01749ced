using System.Globalization;
using ConnectorOperator.Connector.Configuration;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class CustomConfigurationCatalogueTests
{
    [Theory]
    [InlineData("messageDelay", "300")]
    [InlineData("ringAcceptWait", "100")]
    [InlineData("fallbackEscalationTime", "180000")]
    [InlineData("defaultGreetingMessage", "hi")]
    [InlineData("defaultStepupMessage", "_STEPUP_")]
    [InlineData("skipAgentMessage", "false")]
    [InlineData("tileDisplay", "vertical")]
    [InlineData("messageResendMaxRetries", "1")]
    [InlineData("retryMessageInterval", "30000")]
    [InlineData("maxEscalationRetries", "5")]
    [InlineData("acceptStatusEventValue", "READ")]
    [InlineData("enableButtonTextOnPostback", "false")]
    [InlineData("maxConsumerMessageDelay", "30")]
    public void Catalogue_defaults_are_the_documented_ones(string key, string expected) =>
        Assert.Equal(expected, CustomConfigurationCatalogue.Find(key)!.DefaultValue);

    [Fact]
    public void Typed_defaults_agree_with_the_catalogue()
    {
        var typed = new CustomConfiguration();
        long Ms(TimeSpan t) => (long)t.TotalMilliseconds;
        string Default(string key) => CustomConfigurationCatalogue.Find(key)!.DefaultValue!;

        Assert.Equal(Default("messageDelay"), Ms(typed.MessageDelay).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("ringAcceptWait"), Ms(typed.RingAcceptWait).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("fallbackEscalationTime"), Ms(typed.FallbackEscalationTime).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("retryMessageInterval"), Ms(typed.RetryMessageInterval).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("maxConsumerMessageDelay"), ((long)typed.MaxConsumerMessageDelay.TotalMinutes).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("messageResendMaxRetries"), typed.MessageResendMaxRetries.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("maxEscalationRetries"), typed.MaxEscalationRetries.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("defaultGreetingMessage"), typed.DefaultGreetingMessage);
        Assert.Equal(Default("defaultStepupMessage"), typed.DefaultStepupMessage);
        Assert.Equal(Default("tileDisplay"), typed.TileDisplay);
        Assert.Equal(Default("acceptStatusEventValue"), typed.AcceptStatusEventValue);
    }

    [Fact]
    public void Every_default_passes_its_own_check()
    {
        foreach (var field in CustomConfigurationCatalogue.Fields.Where(f => f.Source == CustomFieldSource.CustomConfiguration && f.DefaultValue is not null))
        {
            Assert.Null(CustomConfigurationCatalogue.Check(field.Key, field.DefaultValue!));
        }
    }

    [Theory]
    [InlineData("messageDelay", "0", true)]
    [InlineData("messageDelay", "60000", true)]
    [InlineData("messageDelay", "60001", false)]
    [InlineData("messageDelay", "-1", false)]
    [InlineData("messageResendMaxRetries", "10", true)]
    [InlineData("messageResendMaxRetries", "11", false)]
    [InlineData("maxConsumerMessageDelay", "0", false)]
    [InlineData("tileDisplay", "horizontal", true)]
    [InlineData("tileDisplay", "diagonal", false)]
    [InlineData("skipAgentMessage", "TRUE", true)]
    public void Ranges_are_enforced(string key, string value, bool accepted) =>
        Assert.Equal(accepted, CustomConfigurationCatalogue.Check(key, value) is null);

    [Theory]
    [InlineData("lpPassword")]
    [InlineData("lpAppKey")]
    [InlineData("lpAppSecret")]
    [InlineData("lpAccessToken")]
    [InlineData("lpAccessTokenSecret")]
    [InlineData("externalWebhookAPIKey")]
    [InlineData("apigee_client_secret")]
    public void Secrets_are_marked_and_refused_as_plain_values(string key)
    {
        Assert.True(CustomConfigurationCatalogue.Find(key)!.IsSecret);
        Assert.Contains("must come from a Secret", CustomConfigurationCatalogue.Check(key, "x")!, StringComparison.Ordinal);
    }

    [Fact]
    public void Messaging_only_fields_do_not_apply_to_chat()
    {
        Assert.False(CustomConfigurationCatalogue.Find("messageDelay")!.AppliesToChat);
        Assert.True(CustomConfigurationCatalogue.Find("defaultGreetingMessage")!.AppliesToChat);
        Assert.True(CustomConfigurationCatalogue.Find("messageDelay")!.AppliesToMessaging);
    }

    [Fact]
    public void Whole_map_validation_reports_every_error_and_warns_about_keys_for_the_other_type()
    {
        var warnings = new List<string>();
        var errors = CustomConfigurationCatalogue.Validate(
            new Dictionary<string, string> { ["messageDelay"] = "x", ["ringAcceptWait"] = "-5", ["defaultGreetingMessage"] = "hey", ["tileDisplay"] = "vertical" },
            messaging: false,
            warnings);

        Assert.Equal(2, errors.Count);
        Assert.Equal(["custom configuration key 'tileDisplay' does not apply to Chat connectors and is ignored"], warnings);
    }
}
