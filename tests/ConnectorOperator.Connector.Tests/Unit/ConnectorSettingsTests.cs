using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class ConnectorSettingsTests
{
    internal static Dictionary<string, string> ValidApiKeyEnvironment() => new()
    {
        ["CONNECTOR_ACCOUNT_ID"] = "123",
        ["CONNECTOR_AGENT_USER"] = "bot1",
        ["CONNECTOR_ROLE"] = "Agent",
        ["CONNECTOR_CONVERSATION_TYPE"] = "Messaging",
        ["CONNECTOR_ENVIRONMENT"] = "Demo",
        ["CONNECTOR_BOT_ID"] = "b1",
        ["CONNECTOR_BOT_ENDPOINT"] = "http://127.0.0.1:9/bot",
        ["CONNECTOR_CSDS_DOMAIN"] = "http://127.0.0.1:9",
        ["CONNECTOR_CAPACITY"] = "10",
        ["CONNECTOR_REVISION"] = "rev1",
        ["LP_APP_KEY"] = "app-key-value",
        ["LP_APP_SECRET"] = "app-secret-value",
        ["LP_ACCESS_TOKEN"] = "access-token-value",
        ["LP_ACCESS_TOKEN_SECRET"] = "access-token-secret-value",
    };

    private static IReadOnlyList<string> ErrorsFor(Action<Dictionary<string, string>> change)
    {
        var env = ValidApiKeyEnvironment();
        change(env);
        var settings = ConnectorSettings.Read(env, out var errors);
        Assert.Null(settings);
        return errors;
    }

    private static void AssertSingleError(Action<Dictionary<string, string>> change, string expectedFragment)
    {
        var errors = ErrorsFor(change);
        var error = Assert.Single(errors);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_environment_reads_with_catalogue_defaults()
    {
        var settings = ConnectorSettings.Read(ValidApiKeyEnvironment(), out var errors);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal("123", settings.AccountId);
        Assert.Equal("bot1", settings.AgentUser);
        Assert.Equal(ConversationType.Messaging, settings.ConversationType);
        Assert.Equal(10, settings.Capacity);
        Assert.Equal(8080, settings.HttpPort);
        Assert.Equal(TimeSpan.FromSeconds(25), settings.DrainTime);
        Assert.True(settings.Credentials.UsesApiKey);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings.Custom.MessageDelay);
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void Missing_account_id_is_one_clear_error() =>
        AssertSingleError(env => env.Remove("CONNECTOR_ACCOUNT_ID"), "CONNECTOR_ACCOUNT_ID is missing");

    [Fact]
    public void Non_digit_account_id_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_ACCOUNT_ID"] = "12a", "CONNECTOR_ACCOUNT_ID must be digits only");

    [Fact]
    public void Missing_agent_user_is_rejected() =>
        AssertSingleError(env => env.Remove("CONNECTOR_AGENT_USER"), "CONNECTOR_AGENT_USER is missing");

    [Fact]
    public void Missing_bot_endpoint_is_rejected() =>
        AssertSingleError(env => env.Remove("CONNECTOR_BOT_ENDPOINT"), "CONNECTOR_BOT_ENDPOINT is missing");

    [Fact]
    public void Bot_endpoint_must_be_http_url() =>
        AssertSingleError(env => env["CONNECTOR_BOT_ENDPOINT"] = "ftp://bot", "CONNECTOR_BOT_ENDPOINT must be an absolute http");

    [Fact]
    public void No_credentials_is_rejected() =>
        AssertSingleError(
            env =>
            {
                foreach (var key in env.Keys.Where(k => k.StartsWith("LP_", StringComparison.Ordinal)).ToList())
                {
                    env.Remove(key);
                }
            },
            "no credentials");

    [Fact]
    public void Password_with_partial_api_key_is_rejected()
    {
        var errors = ErrorsFor(env =>
        {
            env.Remove("LP_ACCESS_TOKEN");
            env["LP_PASSWORD"] = "pw-value-123";
        });

        var error = Assert.Single(errors);
        Assert.Contains("both LP_PASSWORD and a partial API key", error, StringComparison.Ordinal);
        Assert.Contains("LP_ACCESS_TOKEN", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_api_key_alone_names_the_missing_variables() =>
        AssertSingleError(env => env.Remove("LP_APP_SECRET"), "LP_APP_SECRET missing");

    [Fact]
    public void Unknown_conversation_type_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CONVERSATION_TYPE"] = "Voice", "CONNECTOR_CONVERSATION_TYPE must be one of Messaging, Chat");

    [Fact]
    public void Unknown_role_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_ROLE"] = "Boss", "CONNECTOR_ROLE must be one of Agent, Manager");

    [Fact]
    public void Unknown_environment_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_ENVIRONMENT"] = "Staging", "CONNECTOR_ENVIRONMENT must be Demo or Production");

    [Fact]
    public void Capacity_above_the_connector_hard_limit_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CAPACITY"] = "1001", "CONNECTOR_CAPACITY must be between 1 and 1000");

    [Fact]
    public void Capacity_of_zero_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CAPACITY"] = "0", "CONNECTOR_CAPACITY must be between 1 and 1000");

    [Fact]
    public void Capacity_above_fifty_is_accepted_with_a_warning()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CAPACITY"] = "500";

        var settings = ConnectorSettings.Read(env, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal(500, settings.Capacity);
        var warning = Assert.Single(settings.Warnings);
        Assert.Contains("above the product limit of 50", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_of_fifty_reads_without_warning()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CAPACITY"] = "50";

        var settings = ConnectorSettings.Read(env, out _);

        Assert.NotNull(settings);
        Assert.Equal(50, settings.Capacity);
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void Non_digit_fallback_skill_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_FALLBACK_SKILL_ID"] = "human", "CONNECTOR_FALLBACK_SKILL_ID must be digits only");

    [Fact]
    public void Custom_key_out_of_range_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"messageDelay":"70000"}""", "'messageDelay': 70000 is out of range: must be a whole number of milliseconds (0-60000)");

    [Fact]
    public void Custom_key_of_wrong_type_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"skipAgentMessage":"maybe"}""", "'skipAgentMessage': \"maybe\" is not true or false");

    [Fact]
    public void Custom_number_that_is_not_a_number_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"ringAcceptWait":"soon"}""", "'ringAcceptWait': \"soon\" is not a whole number of milliseconds");

    [Fact]
    public void Custom_choice_outside_its_values_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"acceptStatusEventValue":"SEEN"}""", "'acceptStatusEventValue': \"SEEN\" is not one of READ, SENT");

    [Fact]
    public void Unknown_custom_key_is_ignored_with_a_warning_that_suggests_the_right_spelling()
    {
        // The operator only warns about unknown keys, so a pod must not fail on one.
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"messagedelay":"10"}""";

        var settings = ConnectorSettings.Read(env, out var errors);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings!.Custom.MessageDelay);
        var warning = Assert.Single(settings.Warnings);
        Assert.Contains("'messagedelay' is not in the catalogue and is ignored (did you mean 'messageDelay'?)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void First_class_setting_in_custom_configuration_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"fallbackSkillId":"20"}""", "'fallbackSkillId' is a first-class setting");

    [Fact]
    public void Custom_csds_domain_wins_over_the_operator_wide_one()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"csdsDomain":"qa-adminlogin.example.net"}""";

        var settings = ConnectorSettings.Read(env, out var errors);

        Assert.Empty(errors);
        Assert.Equal("qa-adminlogin.example.net", settings!.CsdsDomain);
    }

    [Fact]
    public void Csds_domain_defaults_to_the_platform_host()
    {
        var env = ValidApiKeyEnvironment();
        env.Remove("CONNECTOR_CSDS_DOMAIN");

        Assert.Equal("adminlogin.liveperson.net", ConnectorSettings.Read(env, out _)!.CsdsDomain);
    }

    [Fact]
    public void Custom_csds_domain_with_a_foreign_scheme_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"csdsDomain":"ftp://csds"}""", "custom configuration key 'csdsDomain' must be a host name or an http(s)://host:port URL");

    [Fact]
    public void Internal_switch_is_ignored_with_a_warning()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"useRedis":"REDIS"}""";

        var settings = ConnectorSettings.Read(env, out var errors);

        Assert.Empty(errors);
        Assert.Contains("'useRedis' is an internal switch no connector uses", Assert.Single(settings!.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_in_custom_configuration_is_rejected_without_echoing_it()
    {
        var errors = ErrorsFor(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"lpPassword":"hunter2-secret"}""");

        var error = Assert.Single(errors);
        Assert.Contains("is a secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_configuration_that_is_not_json_is_rejected() =>
        AssertSingleError(env => env["CONNECTOR_CUSTOM_CONFIGURATION"] = "{not json", "CONNECTOR_CUSTOM_CONFIGURATION is not valid JSON");

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = ErrorsFor(env =>
        {
            env.Remove("CONNECTOR_ACCOUNT_ID");
            env["CONNECTOR_CONVERSATION_TYPE"] = "Voice";
            env["CONNECTOR_CAPACITY"] = "0";
        });

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Errors_never_contain_credential_values()
    {
        var errors = ErrorsFor(env =>
        {
            env.Remove("LP_ACCESS_TOKEN_SECRET");
            env["LP_PASSWORD"] = "pw-value-123";
            env["CONNECTOR_ACCOUNT_ID"] = "x";
        });

        foreach (var error in errors)
        {
            foreach (var secret in new[] { "app-key-value", "app-secret-value", "access-token-value", "pw-value-123" })
            {
                Assert.DoesNotContain(secret, error, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Password_login_reads_with_a_warning()
    {
        var env = ValidApiKeyEnvironment();
        foreach (var key in env.Keys.Where(k => k.StartsWith("LP_", StringComparison.Ordinal)).ToList())
        {
            env.Remove(key);
        }

        env["LP_PASSWORD"] = "pw-value-123";
        var settings = ConnectorSettings.Read(env, out var errors);

        Assert.Empty(errors);
        Assert.False(settings!.Credentials.UsesApiKey);
        Assert.Contains(settings.Warnings, w => w.Contains("API-key login is preferred", StringComparison.Ordinal));
        Assert.DoesNotContain("pw-value-123", settings.Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Messaging_only_keys_are_ignored_with_a_warning_for_chat()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CONVERSATION_TYPE"] = "Chat";
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """{"messageDelay":"1000","defaultGreetingMessage":"hello there"}""";

        var settings = ConnectorSettings.Read(env, out var errors);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(300), settings!.Custom.MessageDelay);
        Assert.Equal("hello there", settings.Custom.DefaultGreetingMessage);
        Assert.Contains(settings.Warnings, w => w.Contains("'messageDelay' does not apply to Chat", StringComparison.Ordinal));
    }

    [Fact]
    public void Custom_values_override_defaults_and_accept_json_numbers_and_booleans()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_CUSTOM_CONFIGURATION"] = """
            {"messageDelay":500,"ringAcceptWait":"0","fallbackEscalationTime":"60000","skipAgentMessage":true,
             "tileDisplay":"horizontal","messageResendMaxRetries":"3","retryMessageInterval":"1000","maxEscalationRetries":"2",
             "acceptStatusEventValue":"SENT","enableButtonTextOnPostback":"true","maxConsumerMessageDelay":"5",
             "defaultStepupMessage":"up"}
            """;

        var custom = ConnectorSettings.Read(env, out var errors)!.Custom;

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(500), custom.MessageDelay);
        Assert.Equal(TimeSpan.Zero, custom.RingAcceptWait);
        Assert.Equal(TimeSpan.FromMinutes(1), custom.FallbackEscalationTime);
        Assert.True(custom.SkipAgentMessage);
        Assert.Equal("horizontal", custom.TileDisplay);
        Assert.Equal(3, custom.MessageResendMaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), custom.RetryMessageInterval);
        Assert.Equal(2, custom.MaxEscalationRetries);
        Assert.Equal("SENT", custom.AcceptStatusEventValue);
        Assert.True(custom.EnableButtonTextOnPostback);
        Assert.Equal(TimeSpan.FromMinutes(5), custom.MaxConsumerMessageDelay);
        Assert.Equal("up", custom.DefaultStepupMessage);
    }

    [Fact]
    public void Timing_overrides_are_read_for_tests()
    {
        var env = ValidApiKeyEnvironment();
        env["CONNECTOR_TIMING_REFRESH_MS"] = "500";
        env["CONNECTOR_TIMING_RECONNECT_INITIAL_MS"] = "50";

        var settings = ConnectorSettings.Read(env, out _)!;

        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Timings.RefreshInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.Timings.ReconnectInitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Timings.ReconnectMaxDelay);
    }

    [Fact]
    public void Ring_hold_time_defaults_to_ten_seconds_and_is_read_within_its_range()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ConnectorSettings.Read(ValidApiKeyEnvironment(), out _)!.Timings.RingHoldTime);

        var env = ValidApiKeyEnvironment();
        env[ConnectorEnvironment.TimingRingHoldMs] = "250";
        Assert.Equal(TimeSpan.FromMilliseconds(250), ConnectorSettings.Read(env, out _)!.Timings.RingHoldTime);

        AssertSingleError(e => e[ConnectorEnvironment.TimingRingHoldMs] = "50", "CONNECTOR_TIMING_RING_HOLD_MS must be between 100 and 60000");
        AssertSingleError(e => e[ConnectorEnvironment.TimingRingHoldMs] = "120000", "CONNECTOR_TIMING_RING_HOLD_MS must be between 100 and 60000");
        AssertSingleError(e => e[ConnectorEnvironment.TimingRingHoldMs] = "soon", "CONNECTOR_TIMING_RING_HOLD_MS must be a whole number");
    }
}
