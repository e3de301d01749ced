using System.Globalization;
using ConnectorOperator.Api;

namespace ConnectorOperator.Validation;

/// <summary>
/// Re-checks an AgentConnector spec as the CRD does (the installed CRD may be older than this operator, or missing
/// its CEL rules) and checks custom configuration against the catalogue. Pure: no I/O, no clock.
/// </summary>
public static class SpecValidator
{
    public static ValidationResult Validate(AgentConnectorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new ProblemList();
        var production = spec.Environment == DeploymentEnvironment.Production;

        CheckBot(spec.Bot, problems);
        CheckAccount(spec.AccountId, problems);
        CheckEnums(spec, problems);
        CheckAgentUsers(spec.AgentUsers, production, problems);
        if (spec.FallbackSkillId is { } skill)
        {
            CheckDigits("spec.fallbackSkillId", skill, "a skill id", problems);
        }
        if (spec.ExternalWebhook is { } webhook)
        {
            CheckWebhook(webhook, production, problems);
        }
        if (spec.CustomConfiguration is { } configuration)
        {
            CustomConfigurationChecks.Check(configuration, spec.ConversationType, problems);
        }
        CheckApigee(spec, problems);
        CheckReplicas(spec.Replicas, production, problems);
        if (spec.Scaling is { } scaling)
        {
            CheckScaling(scaling, production, problems);
        }
        if (spec.Image is { } image)
        {
            CheckImage(image, problems);
        }
        if (spec.PodTemplate is { } template)
        {
            PodTemplateChecks.Check(template, problems);
        }
        return problems.ToResult();
    }

    private static void CheckBot(BotReference? bot, ProblemList problems)
    {
        if (bot is null)
        {
            problems.Error("spec.bot", "is required: the bot the connectors relay conversations to");
            return;
        }
        if (string.IsNullOrEmpty(bot.Id))
        {
            problems.Error("spec.bot.id", "is required: the bot's id");
        }
        else
        {
            CheckIdentifier("spec.bot.id", bot.Id, AgentConnectorRules.MaxLoginNameLength, problems);
        }
        if (bot.Endpoint is { } endpoint && (!SpecText.IsHttpUrl(endpoint) || SpecText.Length(endpoint) > AgentConnectorRules.MaxUrlLength))
        {
            problems.Error("spec.bot.endpoint",
                $"{Quote(endpoint)} is not an http:// or https:// URL without spaces, control or format characters (at most {AgentConnectorRules.MaxUrlLength} characters); leave it unset to use the operator's endpoint template");
        }
    }

    private static void CheckAccount(string? accountId, ProblemList problems)
    {
        if (string.IsNullOrEmpty(accountId))
        {
            problems.Error("spec.accountId", "is required: the Conversational Cloud account (site) number");
            return;
        }
        CheckDigits("spec.accountId", accountId, "an account (site) number", problems);
    }

    private static void CheckEnums(AgentConnectorSpec spec, ProblemList problems)
    {
        if (spec.ConversationType is not { } type)
        {
            problems.Error("spec.conversationType", "is required: Messaging or Chat");
        }
        else if (!Enum.IsDefined(type))
        {
            problems.Error("spec.conversationType", "must be Messaging or Chat");
        }
        if (!Enum.IsDefined(spec.Role))
        {
            problems.Error("spec.role", "must be Agent or Manager");
        }
        else if (spec.Role != AgentRole.Agent && spec.ConversationType == ConversationType.Chat)
        {
            // The documents give lpUserRole to Messaging only: a Chat connector takes chats the same way whatever the role.
            problems.Warning("spec.role", $"{spec.Role} has no meaning for a Chat connector: role (lpUserRole) applies to Messaging only, and a Chat connector takes its chats as an agent whatever the role; remove it or set Agent",
                SpecWarningReasons.RoleIgnoredOnChat);
        }
        if (!Enum.IsDefined(spec.Environment))
        {
            problems.Error("spec.environment", "must be Demo or Production");
        }
    }

    private static void CheckAgentUsers(List<AgentUser>? users, bool production, ProblemList problems)
    {
        if (users is null || users.Count == 0)
        {
            problems.Error("spec.agentUsers", "needs at least one agent user: each connector logs in as one");
            return;
        }
        if (users.Count > AgentConnectorRules.MaxAgentUsers)
        {
            problems.Error("spec.agentUsers", $"has {users.Count} agent users; at most {AgentConnectorRules.MaxAgentUsers} are allowed");
        }
        if (production && users.Count < AgentConnectorRules.MinProductionConnectors)
        {
            problems.Error("spec.agentUsers", AgentConnectorRules.ProductionAgentUsersMessage);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < users.Count; i++)
        {
            var field = $"spec.agentUsers[{i.ToString(CultureInfo.InvariantCulture)}]";
            var user = users[i];
            if (user is null)
            {
                problems.Error(field, "must be an agent user with loginName and credentialsSecretRef");
                continue;
            }
            if (string.IsNullOrEmpty(user.LoginName))
            {
                problems.Error(field + ".loginName", "is required: the agent user's login name");
            }
            else
            {
                CheckIdentifier(field + ".loginName", user.LoginName, AgentConnectorRules.MaxLoginNameLength, problems);
                if (!seen.Add(user.LoginName))
                {
                    problems.Error(field + ".loginName", $"{Quote(user.LoginName)} is listed twice; each agent user may appear once");
                }
            }
            CheckSecretName(field + ".credentialsSecretRef.name", user.CredentialsSecretRef?.Name, problems);
        }
    }

    private static void CheckWebhook(ExternalWebhook webhook, bool production, ProblemList problems)
    {
        const string field = "spec.externalWebhook.url";
        var url = webhook.Url ?? "";
        if (url.Length == 0)
        {
            problems.Error(field, "is required: where consumer messages are posted");
        }
        else if (!url.StartsWith("https://", StringComparison.Ordinal) && !url.StartsWith("http://", StringComparison.Ordinal))
        {
            problems.Error(field, AgentConnectorRules.WebhookSchemeMessage);
        }
        else if (production && !url.StartsWith("https://", StringComparison.Ordinal))
        {
            problems.Error(field, AgentConnectorRules.WebhookHttpsInProductionMessage);
        }
        else if (!SpecText.IsIdentifier(url))
        {
            problems.Error(field, $"{Quote(url)} must contain no whitespace, control or format characters");
        }
        if (SpecText.Length(url) > AgentConnectorRules.MaxUrlLength)
        {
            problems.Error(field, $"is longer than {AgentConnectorRules.MaxUrlLength} characters");
        }
        CheckSecretKeyReference("spec.externalWebhook.apiKeySecretRef", webhook.ApiKeySecretRef, problems);
        CheckSecretKeyReference("spec.externalWebhook.apigeeClientSecretRef", webhook.ApigeeClientSecretRef, problems);
    }

    private static void CheckSecretKeyReference(string field, SecretKeyReference? reference, ProblemList problems)
    {
        if (reference is null)
        {
            return;
        }
        CheckSecretName($"{field}.name", reference.Name, problems);
        if (reference.Key is { } key && (!SpecPatterns.SecretKey.IsMatch(key) || SpecText.Length(key) > AgentConnectorRules.MaxSecretKeyLength))
        {
            problems.Error($"{field}.key", $"{Quote(key)} is not a valid Secret key: letters, digits, '-', '_' and '.' only");
        }
    }

    /// <summary>The apigee_* fields and the client secret's reference only make sense together, on an external webhook.</summary>
    private static void CheckApigee(AgentConnectorSpec spec, ProblemList problems)
    {
        var custom = spec.CustomConfiguration ?? [];
        var reference = spec.ExternalWebhook?.ApigeeClientSecretRef;
        var authUrl = custom.GetValueOrDefault(CustomConfigurationKeys.ApigeeAuthUrl);
        if (authUrl is null)
        {
            if (reference is not null)
            {
                problems.Error("spec.externalWebhook.apigeeClientSecretRef",
                    $"is set but customConfiguration {CustomConfigurationKeys.ApigeeAuthUrl} is not: the client secret is only used to get a token from that URL");
            }
            return;
        }
        var field = $"spec.customConfiguration[{CustomConfigurationKeys.ApigeeAuthUrl}]";
        if (spec.ExternalWebhook is null)
        {
            problems.Error(field, "the Apigee token authenticates the external webhook's calls: set spec.externalWebhook too");
        }
        if (!SpecText.IsHttpUrl(authUrl))
        {
            problems.Error(field, $"{Quote(authUrl)} is not an http:// or https:// URL without spaces");
        }
        if (reference is null)
        {
            problems.Error("spec.externalWebhook.apigeeClientSecretRef",
                $"is required with {CustomConfigurationKeys.ApigeeAuthUrl}: a Secret key holding the client secret (never inline as {CustomConfigurationKeys.ApigeeClientSecret})");
        }
        if (string.IsNullOrEmpty(custom.GetValueOrDefault(CustomConfigurationKeys.ApigeeClientId)))
        {
            problems.Error($"spec.customConfiguration[{CustomConfigurationKeys.ApigeeClientId}]", $"is required with {CustomConfigurationKeys.ApigeeAuthUrl}: the OAuth 2.0 client id");
        }
    }

    private static void CheckReplicas(int? replicas, bool production, ProblemList problems)
    {
        if (replicas is not { } count)
        {
            return;
        }
        if (count < 0)
        {
            problems.Error("spec.replicas", $"{Number(count)} is out of range: must be 0 or more");
        }
        else if (production && count == 1)
        {
            problems.Warning("spec.replicas", "1 connector in Production has no failover; run at least 2", SpecWarningReasons.NoFailover);
        }
    }

    private static void CheckScaling(ScalingSpec scaling, bool production, ProblemList problems)
    {
        if (scaling.MinReplicas is { } min)
        {
            if (min < 0)
            {
                problems.Error("spec.scaling.minReplicas", $"{Number(min)} is out of range: must be 0 or more");
            }
            else if (production && min < AgentConnectorRules.MinProductionConnectors)
            {
                problems.Error("spec.scaling.minReplicas", AgentConnectorRules.ProductionMinReplicasMessage);
            }
        }
        if (scaling.MaxReplicas is { } max)
        {
            if (max < 1)
            {
                problems.Error("spec.scaling.maxReplicas", $"{Number(max)} is out of range: must be 1 or more");
            }
            else if (scaling.MinReplicas is { } floor && max < floor)
            {
                problems.Error("spec.scaling.maxReplicas", AgentConnectorRules.MaxReplicasMessage);
            }
        }
        if (scaling.ConversationsPerConnector is < 1 or > AgentConnectorRules.MaxConversationsPerConnector)
        {
            problems.Error("spec.scaling.conversationsPerConnector",
                $"{Number(scaling.ConversationsPerConnector)} is out of range: must be 1-{AgentConnectorRules.MaxConversationsPerConnector} (the most one connector takes)");
        }
        else if (scaling.ConversationsPerConnector > AgentConnectorRules.BaselineConversationsPerConnector)
        {
            problems.Warning("spec.scaling.conversationsPerConnector", AgentConnectorRules.AboveBaselineMessage(scaling.ConversationsPerConnector),
                SpecWarningReasons.AboveConversationBaseline);
        }
        if (scaling.ExpectedConcurrentConversations is < 0)
        {
            problems.Error("spec.scaling.expectedConcurrentConversations",
                $"{Number(scaling.ExpectedConcurrentConversations.Value)} is out of range: must be 0 or more");
        }
        if (scaling.ScaleDownStabilizationSeconds < 0)
        {
            problems.Error("spec.scaling.scaleDownStabilizationSeconds",
                $"{Number(scaling.ScaleDownStabilizationSeconds)} is out of range: must be 0 or more seconds");
        }
        if (scaling.ScaleUpStabilizationSeconds < 0)
        {
            problems.Error("spec.scaling.scaleUpStabilizationSeconds",
                $"{Number(scaling.ScaleUpStabilizationSeconds)} is out of range: must be 0 or more seconds");
        }
    }

    private static void CheckImage(string image, ProblemList problems)
    {
        if (!SpecText.IsIdentifierOrEmpty(image) || SpecText.Length(image) > AgentConnectorRules.MaxImageLength)
        {
            problems.Error("spec.image",
                $"{Quote(image)} is not an image reference: no whitespace, control or format characters (at most {AgentConnectorRules.MaxImageLength}); leave it empty for the operator's default");
        }
    }

    private static void CheckDigits(string field, string value, string what, ProblemList problems)
    {
        if (!SpecPatterns.Digits.IsMatch(value) || value.Length > AgentConnectorRules.MaxIdLength)
        {
            problems.Error(field, $"{Quote(value)} is not {what}: digits only (at most {AgentConnectorRules.MaxIdLength})");
        }
    }

    private static void CheckIdentifier(string field, string value, int maxLength, ProblemList problems)
    {
        if (!SpecText.IsIdentifier(value))
        {
            problems.Error(field, $"{Quote(value)} {AgentConnectorRules.LoginNameMessage}");
        }
        else if (SpecText.Length(value) > maxLength)
        {
            problems.Error(field, $"is longer than {maxLength} characters");
        }
    }

    private static void CheckSecretName(string field, string? name, ProblemList problems)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Error(field, "is required: the name of a Secret in this namespace");
        }
        else if (!SpecPatterns.DnsSubdomain.IsMatch(name) || name.Length > AgentConnectorRules.MaxSecretNameLength)
        {
            problems.Error(field,
                $"{Quote(name)} is not a valid Secret name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (at most {AgentConnectorRules.MaxSecretNameLength})");
        }
    }

    /// <summary>The value for a message: invisible characters spelled out, long values cut (never inside a surrogate pair).</summary>
    internal static string Quote(string value)
    {
        var cut = value.Length <= 60 ? value : value[..(char.IsHighSurrogate(value[59]) ? 59 : 60)] + "...";
        return "\"" + SpecText.Escape(cut) + "\"";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
