using System.Globalization;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Connector.Tests.Unit;

/// <summary>The connector's typed options read the shared catalogue: its defaults, its bounds, its applies-to.</summary>
public sealed class CustomConfigurationTests
{
    private static CustomConfiguration Parse(string json, ConversationType kind, out List<string> errors, out List<string> warnings)
    {
        errors = [];
        warnings = [];
        return CustomConfiguration.Parse(json, kind, errors, warnings);
    }

    [Fact]
    public void Typed_defaults_are_the_shared_catalogue_defaults()
    {
        var typed = new CustomConfiguration();
        string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        string Default(string key) => CustomConfigurationCatalogue.Get(key).DefaultValue!;

        Assert.Equal(Default("messageDelay"), Ms(typed.MessageDelay));
        Assert.Equal(Default("ringAcceptWait"), Ms(typed.RingAcceptWait));
        Assert.Equal(Default("fallbackEscalationTime"), Ms(typed.FallbackEscalationTime));
        Assert.Equal(Default("retryMessageInterval"), Ms(typed.RetryMessageInterval));
        Assert.Equal(Default("maxConsumerMessageDelay"), ((long)typed.MaxConsumerMessageDelay.TotalMinutes).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("messageResendMaxRetries"), typed.MessageResendMaxRetries.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("maxEscalationRetries"), typed.MaxEscalationRetries.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Default("skipAgentMessage"), typed.SkipAgentMessage ? "true" : "false");
        Assert.Equal(Default("enableButtonTextOnPostback"), typed.EnableButtonTextOnPostback ? "true" : "false");
        Assert.Equal(Default("defaultGreetingMessage"), typed.DefaultGreetingMessage);
        Assert.Equal(Default("defaultStepupMessage"), typed.DefaultStepupMessage);
        Assert.Equal(Default("tileDisplay"), typed.TileDisplay);
        Assert.Equal(Default("acceptStatusEventValue"), typed.AcceptStatusEventValue);
        Assert.Null(typed.CsdsDomain);
    }

    [Fact]
    public void Every_integer_is_accepted_up_to_the_shared_bound_and_refused_past_it()
    {
        var integers = CustomConfigurationCatalogue.Entries
            .Where(e => e.Kind == CustomConfigurationValueKind.Integer && !e.IsReserved && e.AppliesTo(ConversationType.Messaging))
            .ToList();
        Assert.NotEmpty(integers);
        foreach (var entry in integers)
        {
            string Json(long value) => $$"""{"{{entry.Key}}":"{{value.ToString(CultureInfo.InvariantCulture)}}"}""";

            Parse(Json(entry.Maximum!.Value), ConversationType.Messaging, out var atBound, out _);
            Parse(Json(entry.Maximum!.Value + 1), ConversationType.Messaging, out var pastBound, out _);
            Parse(Json(entry.Minimum!.Value - 1), ConversationType.Messaging, out var belowBound, out _);

            Assert.Empty(atBound);
            Assert.Contains("is out of range", Assert.Single(pastBound), StringComparison.Ordinal);
            Assert.Contains("is out of range", Assert.Single(belowBound), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_catalogue_key_the_operator_lets_through_is_read_without_complaint()
    {
        foreach (var kind in new[] { ConversationType.Messaging, ConversationType.Chat })
        {
            var usable = CustomConfigurationCatalogue.Entries.Where(e => !e.IsReserved && e.AppliesTo(kind)).ToList();
            var json = System.Text.Json.JsonSerializer.Serialize(usable.ToDictionary(e => e.Key, e => e.DefaultValue ?? "x"));

            Parse(json, kind, out var errors, out var warnings);

            Assert.Empty(errors);
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void Values_are_read_in_the_entrys_unit()
    {
        var custom = Parse("""{"maxConsumerMessageDelay":"5","ringAcceptWait":"250","apigee_client_id":"cid"}""", ConversationType.Messaging, out var errors, out _);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(5), custom.MaxConsumerMessageDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(250), custom.RingAcceptWait);
        Assert.Equal("cid", custom.Extra["apigee_client_id"]);
    }

    [Fact]
    public void Every_secret_is_refused_as_a_plain_value_without_echoing_it()
    {
        var secrets = CustomConfigurationCatalogue.Entries.Where(e => e.IsSecret).ToList();
        Assert.NotEmpty(secrets);
        foreach (var entry in secrets)
        {
            Parse($$"""{"{{entry.Key}}":"s3cret-value"}""", ConversationType.Messaging, out var errors, out _);

            var error = Assert.Single(errors);
            Assert.Contains($"'{entry.Key}' is a secret: it must come from a Secret", error, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-value", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Whole_map_reports_every_error_and_warns_about_keys_for_the_other_kind()
    {
        Parse("""{"messageDelay":"x","ringAcceptWait":"-5","defaultGreetingMessage":"hey","tileDisplay":"vertical"}""",
            ConversationType.Chat, out var errors, out var warnings);

        Assert.Equal(2, errors.Count);
        Assert.Equal(["custom configuration key 'tileDisplay' does not apply to Chat connectors and is ignored"], warnings);
    }
}
