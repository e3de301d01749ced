using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Validation;

namespace ConnectorOperator.Tests.Validation;

public sealed class SpecValidatorTests
{
    private static AgentConnectorSpec Valid(int agentUsers = 1) => new()
    {
        Bot = new BotReference { Id = "support-bot" },
        AccountId = "12345678",
        ConversationType = ConversationType.Messaging,
        AgentUsers = [.. Enumerable.Range(1, agentUsers).Select(i => new AgentUser
        {
            LoginName = $"bot-agent-{i}",
            CredentialsSecretRef = new SecretReference { Name = $"bot-agent-{i}" },
        })],
    };

    private static AgentConnectorSpec Production(int agentUsers = 2)
    {
        var spec = Valid(agentUsers);
        spec.Environment = DeploymentEnvironment.Production;
        return spec;
    }

    private static void AssertError(AgentConnectorSpec spec, string field, string message)
    {
        var result = SpecValidator.Validate(spec);
        Assert.False(result.IsValid);
        Assert.Contains(new SpecProblem(field, message), result.Errors);
    }

    private static void AssertOnlyError(AgentConnectorSpec spec, string field, string message)
    {
        var result = SpecValidator.Validate(spec);
        Assert.Equal([new SpecProblem(field, message)], result.Errors);
    }

    private static void AssertClean(AgentConnectorSpec spec)
    {
        var result = SpecValidator.Validate(spec);
        Assert.True(result.IsValid, ValidationResult.Describe(result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Minimal_demo_spec_is_valid()
    {
        AssertClean(Valid());
    }

    [Fact]
    public void Full_production_spec_is_valid()
    {
        var spec = Production(3);
        // Manager is a Messaging role; on Chat it is warned about (Role_manager_on_a_chat_connector_...).
        spec.ConversationType = ConversationType.Messaging;
        spec.Role = AgentRole.Manager;
        spec.Bot.Endpoint = "https://bots.example.com/b1";
        spec.FallbackSkillId = "4321";
        spec.ExternalWebhook = new ExternalWebhook
        {
            Url = "https://hooks.example.com/b1",
            ApiKeySecretRef = new SecretKeyReference { Name = "webhook", Key = "api.key" },
        };
        spec.Replicas = 3;
        spec.Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 3, ConversationsPerConnector = 40, ExpectedConcurrentConversations = 100 };
        spec.CustomConfiguration = new() { ["defaultGreetingMessage"] = "hello", ["csdsDomain"] = "adminlogin.example.com" };
        AssertClean(spec);
    }

    [Fact]
    public void Missing_bot_id_account_and_conversation_type_are_errors()
    {
        var spec = Valid();
        spec.Bot.Id = "";
        spec.AccountId = "";
        spec.ConversationType = null;
        var errors = SpecValidator.Validate(spec).Errors;
        Assert.Equal(
            [
                new SpecProblem("spec.bot.id", "is required: the bot's id"),
                new SpecProblem("spec.accountId", "is required: the Conversational Cloud account (site) number"),
                new SpecProblem("spec.conversationType", "is required: Messaging or Chat"),
            ],
            errors);
    }

    [Fact]
    public void Null_bot_is_an_error_not_a_crash()
    {
        var spec = Valid();
        spec.Bot = null!;
        AssertOnlyError(spec, "spec.bot", "is required: the bot the connectors relay conversations to");
    }

    [Fact]
    public void Bot_id_with_whitespace_is_an_error()
    {
        var spec = Valid();
        spec.Bot.Id = "support bot";
        AssertOnlyError(spec, "spec.bot.id", "\"support bot\" must be non-empty and contain no whitespace, control or format characters");
    }

    [Theory]
    [InlineData("bots.example.com/b1")]
    [InlineData("https://bots.example.com/my bot")]
    [InlineData("https://bots.example.com/b1\n")]
    public void Bot_endpoint_must_be_an_http_url(string endpoint)
    {
        var spec = Valid();
        spec.Bot.Endpoint = endpoint;
        var error = Assert.Single(SpecValidator.Validate(spec).Errors);
        Assert.Equal("spec.bot.endpoint", error.Field);
        Assert.Contains("is not an http:// or https:// URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("le12345")]
    [InlineData("123 45")]
    [InlineData("12345\n")]
    public void Account_id_must_be_digits(string accountId)
    {
        var spec = Valid();
        spec.AccountId = accountId;
        var error = Assert.Single(SpecValidator.Validate(spec).Errors);
        Assert.Equal("spec.accountId", error.Field);
        Assert.EndsWith("is not an account (site) number: digits only (at most 64)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fallback_skill_must_be_digits()
    {
        var spec = Valid();
        spec.FallbackSkillId = "sales";
        AssertOnlyError(spec, "spec.fallbackSkillId", "\"sales\" is not a skill id: digits only (at most 64)");
    }

    [Fact]
    public void Undefined_enum_values_are_errors()
    {
        var spec = Valid();
        spec.ConversationType = (ConversationType)7;
        spec.Role = (AgentRole)7;
        spec.Environment = (DeploymentEnvironment)7;
        var fields = SpecValidator.Validate(spec).Errors.Select(e => e.Field);
        Assert.Equal(["spec.conversationType", "spec.role", "spec.environment"], fields);
    }

    [Fact]
    public void No_agent_users_is_an_error()
    {
        var spec = Valid();
        spec.AgentUsers = [];
        AssertOnlyError(spec, "spec.agentUsers", "needs at least one agent user: each connector logs in as one");
    }

    [Fact]
    public void Too_many_agent_users_is_an_error()
    {
        AssertOnlyError(Valid(AgentConnectorRules.MaxAgentUsers + 1), "spec.agentUsers", "has 101 agent users; at most 100 are allowed");
    }

    [Fact]
    public void Production_needs_two_agent_users()
    {
        AssertOnlyError(Production(agentUsers: 1), "spec.agentUsers", AgentConnectorRules.ProductionAgentUsersMessage);
        AssertClean(Production(agentUsers: 2));
    }

    [Theory]
    [InlineData("bot agent")]
    [InlineData("bot\tagent")]
    public void Login_name_with_whitespace_is_an_error(string loginName)
    {
        var spec = Valid(2);
        spec.AgentUsers[1].LoginName = loginName;
        var error = Assert.Single(SpecValidator.Validate(spec).Errors);
        Assert.Equal("spec.agentUsers[1].loginName", error.Field);
        Assert.EndsWith(AgentConnectorRules.LoginNameMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_login_name_is_an_error()
    {
        var spec = Valid();
        spec.AgentUsers[0].LoginName = "";
        AssertOnlyError(spec, "spec.agentUsers[0].loginName", "is required: the agent user's login name");
    }

    [Fact]
    public void Duplicate_login_name_is_an_error_on_the_second_entry()
    {
        var spec = Valid(2);
        spec.AgentUsers[1].LoginName = "bot-agent-1";
        AssertOnlyError(spec, "spec.agentUsers[1].loginName", "\"bot-agent-1\" is listed twice; each agent user may appear once");
    }

    [Theory]
    [InlineData("", "is required: the name of a Secret in this namespace")]
    [InlineData("Bot_Agent", "\"Bot_Agent\" is not a valid Secret name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253)")]
    public void Credentials_secret_name_must_be_a_valid_secret_name(string name, string message)
    {
        var spec = Valid();
        spec.AgentUsers[0].CredentialsSecretRef.Name = name;
        AssertOnlyError(spec, "spec.agentUsers[0].credentialsSecretRef.name", message);
    }

    [Fact]
    public void Webhook_must_be_https_in_production()
    {
        var spec = Production();
        spec.ExternalWebhook = new ExternalWebhook { Url = "http://hooks.example.com" };
        AssertOnlyError(spec, "spec.externalWebhook.url", AgentConnectorRules.WebhookHttpsInProductionMessage);
    }

    [Fact]
    public void Webhook_may_be_http_in_demo()
    {
        var spec = Valid();
        spec.ExternalWebhook = new ExternalWebhook { Url = "http://127.0.0.1:8081/hook" };
        AssertClean(spec);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com", "externalWebhook.url must start with http:// or https://")]
    [InlineData("", "is required: where consumer messages are posted")]
    public void Webhook_url_needs_an_http_scheme(string url, string message)
    {
        var spec = Valid();
        spec.ExternalWebhook = new ExternalWebhook { Url = url };
        AssertOnlyError(spec, "spec.externalWebhook.url", message);
    }

    [Fact]
    public void Webhook_secret_reference_is_checked()
    {
        var spec = Valid();
        spec.ExternalWebhook = new ExternalWebhook
        {
            Url = "https://hooks.example.com",
            ApiKeySecretRef = new SecretKeyReference { Name = "webhook", Key = "api key" },
        };
        AssertOnlyError(spec, "spec.externalWebhook.apiKeySecretRef.key", "\"api key\" is not a valid Secret key: letters, digits, '-', '_' and '.' only");
    }

    [Fact]
    public void Negative_replicas_are_an_error_and_more_replicas_than_agent_users_are_not()
    {
        var spec = Valid();
        spec.Replicas = -1;
        AssertOnlyError(spec, "spec.replicas", "-1 is out of range: must be 0 or more");
        spec.Replicas = 10;
        AssertClean(spec);
    }

    [Theory]
    [InlineData(51)]
    [InlineData(AgentConnectorRules.MaxConversationsPerConnector)]
    public void Conversations_per_connector_above_the_baseline_of_50_run_with_a_warning_explaining_the_guideline(int perConnector)
    {
        var spec = Valid();
        spec.Scaling = new ScalingSpec { ConversationsPerConnector = perConnector };
        var result = SpecValidator.Validate(spec);

        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("spec.scaling.conversationsPerConnector", SpecWarningReasons.AboveConversationBaseline), (warning.Field, warning.Reason));
        Assert.Contains("baseline of 50 concurrent conversations per connector", warning.Message, StringComparison.Ordinal);
        Assert.Contains("not a limit", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conversations_per_connector_of_50_is_the_baseline_and_clean()
    {
        var spec = Valid();
        spec.Scaling = new ScalingSpec { ConversationsPerConnector = AgentConnectorRules.BaselineConversationsPerConnector };
        AssertClean(spec);
        Assert.Equal(50, new ScalingSpec().ConversationsPerConnector);
    }

    [Fact]
    public void Role_manager_on_a_chat_connector_is_a_warning_that_role_has_no_meaning_there()
    {
        var spec = Valid();
        spec.ConversationType = ConversationType.Chat;
        spec.Role = AgentRole.Manager;
        var result = SpecValidator.Validate(spec);

        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("spec.role", SpecWarningReasons.RoleIgnoredOnChat), (warning.Field, warning.Reason));
        Assert.Contains("no meaning for a Chat connector", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_manager_on_messaging_and_the_default_role_on_chat_are_clean()
    {
        var messaging = Valid();
        messaging.Role = AgentRole.Manager;
        AssertClean(messaging);
        var chat = Valid();
        chat.ConversationType = ConversationType.Chat;
        AssertClean(chat);
    }

    [Fact]
    public void One_replica_in_production_is_a_warning()
    {
        var spec = Production();
        spec.Replicas = 1;
        var result = SpecValidator.Validate(spec);
        Assert.Empty(result.Errors);
        Assert.Equal([new SpecProblem("spec.replicas", "1 connector in Production has no failover; run at least 2", SpecWarningReasons.NoFailover)], result.Warnings);
    }

    [Fact]
    public void Production_min_replicas_below_two_is_an_error()
    {
        var spec = Production();
        spec.Scaling = new ScalingSpec { MinReplicas = 1 };
        AssertOnlyError(spec, "spec.scaling.minReplicas", AgentConnectorRules.ProductionMinReplicasMessage);
        spec.Scaling.MinReplicas = 2;
        AssertClean(spec);
    }

    [Fact]
    public void Max_replicas_below_min_replicas_is_an_error()
    {
        var spec = Valid();
        spec.Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 2 };
        AssertOnlyError(spec, "spec.scaling.maxReplicas", AgentConnectorRules.MaxReplicasMessage);
    }

    [Theory]
    [InlineData(nameof(ScalingSpec.MinReplicas), -1, "spec.scaling.minReplicas", "-1 is out of range: must be 0 or more")]
    [InlineData(nameof(ScalingSpec.MaxReplicas), 0, "spec.scaling.maxReplicas", "0 is out of range: must be 1 or more")]
    [InlineData(nameof(ScalingSpec.ConversationsPerConnector), 0, "spec.scaling.conversationsPerConnector", "0 is out of range: must be 1-1000 (the most one connector takes)")]
    [InlineData(nameof(ScalingSpec.ConversationsPerConnector), 1001, "spec.scaling.conversationsPerConnector", "1001 is out of range: must be 1-1000 (the most one connector takes)")]
    [InlineData(nameof(ScalingSpec.ExpectedConcurrentConversations), -5, "spec.scaling.expectedConcurrentConversations", "-5 is out of range: must be 0 or more")]
    [InlineData(nameof(ScalingSpec.ScaleDownStabilizationSeconds), -1, "spec.scaling.scaleDownStabilizationSeconds", "-1 is out of range: must be 0 or more seconds")]
    [InlineData(nameof(ScalingSpec.ScaleUpStabilizationSeconds), -1, "spec.scaling.scaleUpStabilizationSeconds", "-1 is out of range: must be 0 or more seconds")]
    public void Scaling_bounds_are_checked(string property, int value, string field, string message)
    {
        var scaling = new ScalingSpec();
        typeof(ScalingSpec).GetProperty(property)!.SetValue(scaling, value);
        var spec = Valid();
        spec.Scaling = scaling;
        AssertOnlyError(spec, field, message);
    }

    [Fact]
    public void Bad_custom_configuration_value_names_the_key_and_the_expected_shape()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["messageDelay"] = "fast" };
        AssertOnlyError(spec, "spec.customConfiguration[messageDelay]", "\"fast\" is not a whole number of milliseconds (0-60000)");
        Assert.Equal(
            "spec.customConfiguration[messageDelay]: \"fast\" is not a whole number of milliseconds (0-60000)",
            SpecValidator.Validate(spec).Errors[0].ToString());
    }

    [Theory]
    [InlineData("fallbackEscalationTime", "-5")]
    [InlineData("skipAgentMessage", "maybe")]
    [InlineData("tileDisplay", "diagonal")]
    [InlineData("maxConsumerMessageDelay", "0")]
    public void Every_value_kind_is_checked_through_the_catalogue(string key, string value)
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { [key] = value };
        var error = Assert.Single(SpecValidator.Validate(spec).Errors);
        Assert.Equal($"spec.customConfiguration[{key}]", error.Field);
        CustomConfigurationCatalogue.TryGet(key, out var entry);
        Assert.Equal(entry.Validate(value), error.Message);
    }

    [Fact]
    public void Credential_keys_are_errors_naming_the_secret_to_use()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["lpAppKey"] = "do-not-echo-me", ["externalWebhookAPIKey"] = "do-not-echo-me-either" };
        var errors = SpecValidator.Validate(spec).Errors;
        Assert.Equal(["spec.customConfiguration[externalWebhookAPIKey]", "spec.customConfiguration[lpAppKey]"], errors.Select(e => e.Field));
        Assert.Contains("spec.agentUsers[].credentialsSecretRef), key appKey", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("spec.externalWebhook.apiKeySecretRef", errors[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(errors, e => e.Message.Contains("do-not-echo", StringComparison.Ordinal));
    }

    [Fact]
    public void Identity_keys_are_errors_naming_the_spec_field_to_use()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["lpAccountId"] = "12345678" };
        AssertOnlyError(spec, "spec.customConfiguration[lpAccountId]", "lpAccountId is set through spec.accountId, not customConfiguration");
    }

    [Fact]
    public void Every_reserved_key_is_an_error()
    {
        foreach (var entry in CustomConfigurationCatalogue.Entries.Where(e => e.IsReserved))
        {
            var spec = Valid();
            spec.CustomConfiguration = new() { [entry.Key] = "x" };
            AssertOnlyError(spec, $"spec.customConfiguration[{entry.Key}]", AgentConnectorRules.ReservedKeyMessage(entry));
        }
    }

    [Fact]
    public void Unknown_key_is_a_warning_with_a_suggestion()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["mesageDelay"] = "300", ["brandNewSetting"] = "on" };
        var result = SpecValidator.Validate(spec);
        Assert.Empty(result.Errors);
        Assert.Equal(
            [
                new SpecProblem("spec.customConfiguration[brandNewSetting]", "brandNewSetting is not a known custom configuration field; the connector ignores it", SpecWarningReasons.CustomConfiguration),
                new SpecProblem("spec.customConfiguration[mesageDelay]", "mesageDelay is not a known custom configuration field; the connector ignores it (did you mean messageDelay?)", SpecWarningReasons.CustomConfiguration),
            ],
            result.Warnings);
    }

    [Fact]
    public void Messaging_only_key_on_a_chat_connector_is_a_warning()
    {
        var spec = Valid();
        spec.ConversationType = ConversationType.Chat;
        spec.CustomConfiguration = new() { ["messageDelay"] = "300" };
        var result = SpecValidator.Validate(spec);
        Assert.Empty(result.Errors);
        Assert.Equal(
            [new SpecProblem("spec.customConfiguration[messageDelay]", "messageDelay applies to Messaging connectors only; this Chat connector ignores it", SpecWarningReasons.CustomConfiguration)],
            result.Warnings);
    }

    [Fact]
    public void Internal_switch_is_a_warning_for_every_connector_type()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["useRedis"] = "WEBSOCKET" };
        var result = SpecValidator.Validate(spec);
        Assert.Empty(result.Errors);
        Assert.Equal([new SpecProblem("spec.customConfiguration[useRedis]", "useRedis is an internal switch no connector uses; it has no effect", SpecWarningReasons.CustomConfiguration)], result.Warnings);
    }

    [Fact]
    public void Bad_value_of_a_key_the_type_ignores_is_still_an_error()
    {
        var spec = Valid();
        spec.ConversationType = ConversationType.Chat;
        spec.CustomConfiguration = new() { ["messageDelay"] = "fast" };
        var result = SpecValidator.Validate(spec);
        Assert.Single(result.Errors);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Too_many_custom_configuration_entries_is_an_error()
    {
        var spec = Valid();
        spec.CustomConfiguration = Enumerable.Range(0, AgentConnectorRules.MaxCustomConfigurationEntries + 1)
            .ToDictionary(i => $"future{i}", _ => "x");
        var result = SpecValidator.Validate(spec);
        Assert.Equal([new SpecProblem("spec.customConfiguration", "has 65 entries; at most 64 are allowed")], result.Errors);
        Assert.Equal(65, result.Warnings.Count);
    }

    [Fact]
    public void Errors_and_warnings_are_returned_together()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["ringAcceptWait"] = "-1", ["unknownThing"] = "1" };
        var result = SpecValidator.Validate(spec);
        Assert.Equal(["spec.customConfiguration[ringAcceptWait]"], result.Errors.Select(e => e.Field));
        Assert.Equal(["spec.customConfiguration[unknownThing]"], result.Warnings.Select(e => e.Field));
        Assert.Equal(
            "spec.customConfiguration[ringAcceptWait]: -1 is out of range: must be a whole number of milliseconds (0-60000)",
            ValidationResult.Describe(result.Errors));
    }
}
