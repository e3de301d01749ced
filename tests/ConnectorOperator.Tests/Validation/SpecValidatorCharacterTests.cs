using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Validation;

namespace ConnectorOperator.Tests.Validation;

/// <summary>
/// The SpecValidator refuses what the CRD's character rules refuse, for a CRD installed without them, and catches
/// format characters outside the BMP that a UTF-16 regex (the API server double's) lets through.
/// </summary>
public sealed class SpecValidatorCharacterTests
{
    private static AgentConnectorSpec Valid() => new()
    {
        Bot = new BotReference { Id = "support-bot" },
        AccountId = "12345678",
        ConversationType = ConversationType.Messaging,
        AgentUsers = [new AgentUser { LoginName = "bot-agent-1", CredentialsSecretRef = new SecretReference { Name = "bot-agent-1" } }],
    };

    private static SpecProblem SingleError(AgentConnectorSpec spec) => Assert.Single(SpecValidator.Validate(spec).Errors);

    [Fact]
    public void Bot_id_with_a_nul_is_invalid_and_the_message_shows_the_nul_escaped()
    {
        var spec = Valid();
        spec.Bot.Id = "support\0bot";
        var error = SingleError(spec);
        Assert.Equal("spec.bot.id", error.Field);
        Assert.Equal("\"support\\u0000bot\" " + AgentConnectorRules.LoginNameMessage, error.Message);
    }

    [Theory]
    [InlineData("bot\u200D")]
    [InlineData("bot\u2066x")]
    [InlineData("bot\U000E0001")]
    [InlineData("bot\U0001D173")]
    public void Login_name_with_a_format_character_is_invalid(string loginName)
    {
        var spec = Valid();
        spec.AgentUsers[0].LoginName = loginName;
        Assert.Equal("spec.agentUsers[0].loginName", SingleError(spec).Field);
    }

    [Fact]
    public void Login_name_with_a_lone_surrogate_is_invalid()
    {
        var spec = Valid();
        spec.AgentUsers[0].LoginName = "bot" + (char)0xD800;
        Assert.Equal("spec.agentUsers[0].loginName", SingleError(spec).Field);
    }

    [Fact]
    public void Length_limits_count_characters_not_utf16_units()
    {
        var spec = Valid();
        spec.Bot.Id = string.Concat(Enumerable.Repeat("🙂", AgentConnectorRules.MaxLoginNameLength));
        Assert.True(SpecValidator.Validate(spec).IsValid);
        spec.Bot.Id += "🙂";
        Assert.Equal("spec.bot.id", SingleError(spec).Field);
    }

    [Fact]
    public void Custom_configuration_key_or_value_with_a_control_character_is_invalid()
    {
        var spec = Valid();
        spec.CustomConfiguration = new() { ["message\0Delay"] = "300" };
        Assert.Equal("spec.customConfiguration[message\\u0000Delay]", SingleError(spec).Field);
        spec.CustomConfiguration = new() { ["defaultGreetingMessage"] = "hi\u0007" };
        Assert.Equal("spec.customConfiguration[defaultGreetingMessage]", SingleError(spec).Field);
        spec.CustomConfiguration = new() { ["defaultGreetingMessage"] = "hi 👋\nthere" };
        Assert.True(SpecValidator.Validate(spec).IsValid);
    }

    [Fact]
    public void Webhook_url_and_image_with_whitespace_are_invalid()
    {
        var spec = Valid();
        spec.ExternalWebhook = new ExternalWebhook { Url = "https://hooks.example.com/a b" };
        Assert.Equal("spec.externalWebhook.url", SingleError(spec).Field);
        spec = Valid();
        spec.Image = "registry.example.com/connector:1\r";
        Assert.Equal("spec.image", SingleError(spec).Field);
    }

    /// <summary>Found by the spec fuzz: a quantity the pod factory cannot parse made every reconcile of the resource throw.</summary>
    [Theory]
    [InlineData("x")]
    [InlineData("1..5")]
    [InlineData("🙂")]
    [InlineData("0x10")]
    public void Resource_quantity_the_pod_factory_cannot_read_is_invalid(string quantity)
    {
        var spec = Valid();
        spec.PodTemplate = new ConnectorPodTemplate { Resources = new ConnectorResources { Limits = new() { ["memory"] = quantity } } };
        Assert.Equal("spec.podTemplate.resources.limits[memory]", SingleError(spec).Field);
    }

    [Fact]
    public void Pod_template_values_the_pod_api_would_refuse_are_invalid()
    {
        var spec = Valid();
        spec.PodTemplate = new ConnectorPodTemplate { Labels = new() { ["team"] = "bots and more" } };
        Assert.Equal("spec.podTemplate.labels[team]", SingleError(spec).Field);
        spec.PodTemplate = new ConnectorPodTemplate { NodeSelector = new() { ["pool\u200B"] = "bots" } };
        Assert.Equal("spec.podTemplate.nodeSelector[pool\\u200B]", SingleError(spec).Field);
        spec.PodTemplate = new ConnectorPodTemplate { PriorityClassName = "High" };
        Assert.Equal("spec.podTemplate.priorityClassName", SingleError(spec).Field);
        spec.PodTemplate = new ConnectorPodTemplate { Tolerations = [new ConnectorToleration { Key = "dedicated\0" }] };
        Assert.Equal("spec.podTemplate.tolerations[0].key", SingleError(spec).Field);
        spec.PodTemplate = new ConnectorPodTemplate { Resources = new ConnectorResources { Requests = new() { ["cpu"] = "100 m" } } };
        Assert.Equal("spec.podTemplate.resources.requests[cpu]", SingleError(spec).Field);
    }
}
