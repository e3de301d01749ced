using ConnectorOperator.Contracts;

namespace ConnectorOperator.Tests.Contracts;

public sealed class CustomConfigurationCatalogueTests
{
    // Every field of /work/shared/reference/custom-configuration.md.
    private static readonly string[] DocumentedKeys =
    [
        "lpAccountId", "lpAccountUser", "lpPassword", "lpAppKey", "lpAppSecret", "lpAccessToken", "lpAccessTokenSecret",
        "csdsDomain", "lpUserRole", "enableAccessibility", "fallbackSkillId", "fallbackEscalationTime",
        "defaultGreetingMessage", "defaultStepupMessage", "messageDelay", "skipAgentMessage", "tileDisplay",
        "messageResendMaxRetries", "retryMessageInterval", "maxEscalationRetries", "ringAcceptWait",
        "acceptStatusEventValue", "enableButtonTextOnPostback", "maxConsumerMessageDelay", "useRedis",
        "externalWebhookUrl", "externalWebhookAPIKey", "apigee_auth_url", "apigee_grant_type", "apigee_audience",
        "apigee_client_id", "apigee_client_secret",
    ];

    [Fact]
    public void Catalogue_holds_exactly_the_documented_keys()
    {
        Assert.Equal(DocumentedKeys.Order(StringComparer.Ordinal), CustomConfigurationCatalogue.Entries.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lookup_is_exact_and_case_sensitive()
    {
        Assert.True(CustomConfigurationCatalogue.TryGet("messageDelay", out var entry));
        Assert.Equal("messageDelay", entry.Key);
        Assert.False(CustomConfigurationCatalogue.TryGet("MessageDelay", out _));
        Assert.False(CustomConfigurationCatalogue.TryGet("noSuchKey", out _));
    }

    [Theory]
    [InlineData("lpPassword")]
    [InlineData("lpAppKey")]
    [InlineData("lpAppSecret")]
    [InlineData("lpAccessToken")]
    [InlineData("lpAccessTokenSecret")]
    [InlineData("externalWebhookAPIKey")]
    [InlineData("apigee_client_secret")]
    public void Credentials_are_secret_and_reserved(string key)
    {
        Assert.True(CustomConfigurationCatalogue.TryGet(key, out var entry));
        Assert.True(entry.IsSecret);
        Assert.True(entry.IsReserved);
    }

    [Theory]
    [InlineData("lpAccountId", "spec.accountId")]
    [InlineData("lpAccountUser", "spec.agentUsers[].loginName")]
    [InlineData("lpUserRole", "spec.role")]
    [InlineData("fallbackSkillId", "spec.fallbackSkillId")]
    [InlineData("enableAccessibility", "spec.accessibility")]
    [InlineData("externalWebhookUrl", "spec.externalWebhook.url")]
    public void Identity_settings_are_first_class_and_name_their_spec_field(string key, string specField)
    {
        Assert.True(CustomConfigurationCatalogue.TryGet(key, out var entry));
        Assert.True(entry.IsFirstClass);
        Assert.False(entry.IsSecret);
        Assert.Contains(specField, entry.UseInstead, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_reserved_entries_are_secret_or_first_class()
    {
        var reserved = CustomConfigurationCatalogue.Entries.Where(e => e.IsReserved).Select(e => e.Key).ToHashSet();
        Assert.Equal(13, reserved.Count);
        Assert.DoesNotContain("messageDelay", reserved);
        Assert.DoesNotContain("csdsDomain", reserved);
    }

    [Theory]
    [InlineData("300", null)]
    [InlineData("0", null)]
    [InlineData("60000", null)]
    [InlineData("fast", "\"fast\" is not a whole number of milliseconds (0-60000)")]
    [InlineData("1.5", "\"1.5\" is not a whole number of milliseconds (0-60000)")]
    [InlineData(" 300", "\" 300\" is not a whole number of milliseconds (0-60000)")]
    [InlineData("", "\"\" is not a whole number of milliseconds (0-60000)")]
    [InlineData("60001", "60001 is out of range: must be a whole number of milliseconds (0-60000)")]
    [InlineData("-1", "-1 is out of range: must be a whole number of milliseconds (0-60000)")]
    [InlineData("99999999999999999999", "\"99999999999999999999\" is not a whole number of milliseconds (0-60000)")]
    public void Integer_values_are_checked_for_type_and_range(string value, string? expected)
    {
        CustomConfigurationCatalogue.TryGet("messageDelay", out var entry);
        Assert.Equal(CustomConfigurationValueKind.Integer, entry.Kind);
        Assert.Equal(expected, entry.Validate(value));
    }

    [Theory]
    [InlineData("true", null)]
    [InlineData("false", null)]
    [InlineData("True", null)]
    [InlineData("yes", "\"yes\" is not true or false")]
    [InlineData("1", "\"1\" is not true or false")]
    public void Boolean_values_are_true_or_false(string value, string? expected)
    {
        CustomConfigurationCatalogue.TryGet("skipAgentMessage", out var entry);
        Assert.Equal(CustomConfigurationValueKind.Boolean, entry.Kind);
        Assert.Equal(expected, entry.Validate(value));
    }

    [Theory]
    [InlineData("READ", null)]
    [InlineData("SENT", null)]
    [InlineData("read", "\"read\" is not one of READ, SENT (values are case-sensitive: use \"READ\")")]
    [InlineData("SEEN", "\"SEEN\" is not one of READ, SENT")]
    public void Enum_values_are_case_sensitive_with_a_hint(string value, string? expected)
    {
        CustomConfigurationCatalogue.TryGet("acceptStatusEventValue", out var entry);
        Assert.Equal(CustomConfigurationValueKind.Enum, entry.Kind);
        Assert.Equal(expected, entry.Validate(value));
    }

    [Fact]
    public void String_values_are_bounded_in_length()
    {
        CustomConfigurationCatalogue.TryGet("defaultGreetingMessage", out var entry);
        Assert.Equal(CustomConfigurationValueKind.String, entry.Kind);
        Assert.Null(entry.Validate("hello there"));
        var error = entry.Validate(new string('a', CustomConfigurationEntry.MaxStringLength + 1));
        Assert.NotNull(error);
        Assert.EndsWith($"is longer than {CustomConfigurationEntry.MaxStringLength} characters", error, StringComparison.Ordinal);
        Assert.True(error.Length < 100, "A long value must be cut when echoed.");
    }

    [Fact]
    public void Secret_values_are_never_echoed()
    {
        CustomConfigurationCatalogue.TryGet("lpPassword", out var entry);
        var error = entry.Validate("hunter2" + new string('x', CustomConfigurationEntry.MaxStringLength));
        Assert.NotNull(error);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("messageDelay", true, false)]
    [InlineData("defaultGreetingMessage", true, true)]
    [InlineData("csdsDomain", true, true)]
    [InlineData("tileDisplay", true, false)]
    [InlineData("lpUserRole", true, false)]
    [InlineData("useRedis", false, false)]
    public void Entries_know_which_connector_types_they_apply_to(string key, bool messaging, bool chat)
    {
        CustomConfigurationCatalogue.TryGet(key, out var entry);
        Assert.Equal(messaging, entry.AppliesTo(ConversationType.Messaging));
        Assert.Equal(chat, entry.AppliesTo(ConversationType.Chat));
    }

    [Fact]
    public void Defaults_follow_the_newer_document()
    {
        string? Default(string key) => CustomConfigurationCatalogue.TryGet(key, out var e) ? e.DefaultValue : throw new KeyNotFoundException(key);
        Assert.Equal("180000", Default("fallbackEscalationTime"));
        Assert.Equal("hi", Default("defaultGreetingMessage"));
        Assert.Equal("_STEPUP_", Default("defaultStepupMessage"));
        Assert.Equal("300", Default("messageDelay"));
        Assert.Equal("vertical", Default("tileDisplay"));
        Assert.Equal("30000", Default("retryMessageInterval"));
        Assert.Equal("100", Default("ringAcceptWait"));
        Assert.Equal("READ", Default("acceptStatusEventValue"));
        Assert.Equal("30", Default("maxConsumerMessageDelay"));
        Assert.Null(Default("fallbackSkillId"));
    }

    [Fact]
    public void Every_default_passes_its_own_validation()
    {
        foreach (var entry in CustomConfigurationCatalogue.Entries.Where(e => e.DefaultValue is not null))
        {
            Assert.Null(entry.Validate(entry.DefaultValue!));
        }
    }

    [Theory]
    [InlineData("MessageDelay", "messageDelay")]
    [InlineData("mesageDelay", "messageDelay")]
    [InlineData("ringAcceptWiat", "ringAcceptWait")]
    [InlineData("completelyDifferent", null)]
    public void Closest_match_suggests_a_key_for_case_slips_and_small_typos(string typed, string? expected)
    {
        Assert.Equal(expected, CustomConfigurationCatalogue.ClosestMatch(typed)?.Key);
    }
}
