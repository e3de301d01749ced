using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Dev;

/// <summary>
/// The demo AgentConnector and its credential Secrets, made from the simulator's own account so the connectors
/// can log in: the first Messaging account, each of its bot users (API key or password, as the simulator knows them).
/// </summary>
public static class DemoResources
{
    public const string Namespace = "default";
    public const string Name = "demo-bot";

    /// <summary>Connectors the demo keeps running however quiet it gets.</summary>
    public const int MinReplicas = 2;

    /// <summary>How long the load must stay low before the demo scales down: short, so the way back down shows within the demo.</summary>
    public const int ScaleDownStabilizationSeconds = 30;

    /// <summary>
    /// The bot users' own concurrent-conversation limit in Conversational Cloud: above a connector's capacity, as
    /// bot users' limits usually are, so the service offers full connectors the conversations waiting behind them
    /// and the operator sees that demand (docs/architecture.md, Scaling).
    /// </summary>
    public const int BotUserConversationLimit = 1000;

    /// <summary>Bot users on the demo's Messaging account, so the ramp can reach 4 connectors with spares.</summary>
    public const int BotUsers = 6;

    /// <summary>The simulator's default accounts with <paramref name="botUsers"/> bot users (bot1, bot2, ...) on the Messaging account.</summary>
    public static SimulatorOptions Simulator(int botUsers = BotUsers)
    {
        var options = SimulatorOptions.CreateDefault();
        var account = Account(options);
        var skill = BotSkill(options);
        var nextNumber = account.Users.Max(u => u.UserNumber) + 1;
        foreach (var login in Enumerable.Range(1, botUsers).Select(i => $"bot{i}"))
        {
            if (account.Users.Any(u => u.LoginName == login)) continue;
            account.Users.Add(AgentUserOptions.WithApiKey(login, nextNumber++, [skill]));
        }
        foreach (var user in account.Users.Where(u => u.IsBot)) user.MaxConversations = BotUserConversationLimit;
        return options;
    }

    public static AccountOptions Account(SimulatorOptions simulator)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        return simulator.Accounts.First(a => a.ConversationType == ConnectorOperator.Contracts.ConversationType.Messaging && a.Users.Any(u => u.IsBot));
    }

    /// <summary>The bot skill consumers write to.</summary>
    public static string BotSkill(SimulatorOptions simulator)
    {
        var account = Account(simulator);
        return account.Users.First(u => u.IsBot).Skills[0];
    }

    public static IReadOnlyList<JsonObject> Secrets(SimulatorOptions simulator) =>
        [.. Account(simulator).Users.Where(u => u.IsBot).Select(Secret)];

    public static JsonObject AgentConnector(SimulatorOptions simulator, Uri botEndpoint)
    {
        ArgumentNullException.ThrowIfNull(botEndpoint);
        var account = Account(simulator);
        var users = account.Users.Where(u => u.IsBot).ToList();
        return new JsonObject
        {
            ["apiVersion"] = Api.AgentConnector.Resource.ApiVersion,
            ["kind"] = Api.AgentConnector.KindName,
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["bot"] = new JsonObject { ["id"] = Name, ["endpoint"] = botEndpoint.ToString() },
                ["accountId"] = account.Id,
                ["conversationType"] = nameof(ConnectorOperator.Contracts.ConversationType.Messaging),
                ["environment"] = nameof(DeploymentEnvironment.Demo),
                ["agentUsers"] = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject
                {
                    ["loginName"] = u.LoginName,
                    ["credentialsSecretRef"] = new JsonObject { ["name"] = SecretName(u) },
                })]),
                ["scaling"] = new JsonObject
                {
                    ["minReplicas"] = Math.Min(MinReplicas, users.Count),
                    ["maxReplicas"] = users.Count,
                    ["conversationsPerConnector"] = AgentConnectorRules.BaselineConversationsPerConnector,
                    ["scaleDownStabilizationSeconds"] = ScaleDownStabilizationSeconds,
                },
            },
        };
    }

    public static string SecretName(AgentUserOptions user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return $"{user.LoginName}-credentials";
    }

    private static JsonObject Secret(AgentUserOptions user)
    {
        var data = user.AppKey is not null
            ? new JsonObject
            {
                [AgentCredentialKeys.AppKey] = user.AppKey,
                [AgentCredentialKeys.AppSecret] = user.AppSecret,
                [AgentCredentialKeys.AccessToken] = user.AccessToken,
                [AgentCredentialKeys.AccessTokenSecret] = user.AccessTokenSecret,
            }
            : new JsonObject { [AgentCredentialKeys.Password] = user.Password };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = SecretName(user), ["namespace"] = Namespace },
            ["type"] = "Opaque",
            ["stringData"] = data,
        };
    }
}
