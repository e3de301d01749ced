using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Simulator.Options;

/// <summary>Everything the simulator serves: accounts, their users and skills, and its clocks.</summary>
public sealed class SimulatorOptions
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    public List<AccountOptions> Accounts { get; set; } = [];

    /// <summary>Bearer lifetime without a refresh (the service's <c>sessionTTl</c>).</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long a messaging ring waits for an accept before another agent is rung.</summary>
    public TimeSpan RingExpiry { get; set; } = TimeSpan.FromSeconds(72);

    /// <summary>How long a chat rings before the agent is set Away and another agent is rung.</summary>
    public TimeSpan ChatRingExpiry { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often expiries (sessions, rings) are checked; tests shorten it with the TTLs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public SampleBotOptions SampleBot { get; set; } = new();

    /// <summary>The OAuth 2.0 token endpoint at /apigee/token; null answers 404 there.</summary>
    public ApigeeOptions? Apigee { get; set; }

    [JsonIgnore]
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>One messaging account "123" (skills 10 bot, 20 human; users bot1/bot2 by API key, bot3 by
    /// password) and one chat account "456" (skills 30 bot, 40 human; user chatbot1 by password).</summary>
    public static SimulatorOptions CreateDefault() => new()
    {
        Accounts =
        [
            new AccountOptions
            {
                Id = "123",
                Skills = [new SkillOptions { Id = "10", Name = "bot" }, new SkillOptions { Id = "20", Name = "human" }],
                Users =
                [
                    AgentUserOptions.WithApiKey("bot1", 1001, ["10"]),
                    AgentUserOptions.WithApiKey("bot2", 1002, ["10"]),
                    AgentUserOptions.WithPassword("bot3", 1003, "bot3-password", ["10"]),
                ],
            },
            new AccountOptions
            {
                Id = "456",
                ConversationType = ConversationType.Chat,
                Skills = [new SkillOptions { Id = "30", Name = "chat-bot" }, new SkillOptions { Id = "40", Name = "chat-human" }],
                Users = [AgentUserOptions.WithPassword("chatbot1", 2001, "chatbot1-password", ["30"])],
            },
        ],
        SampleBot = new SampleBotOptions { HumanSkillId = "20" },
    };

    public static SimulatorOptions FromJson(string json) =>
        JsonSerializer.Deserialize<SimulatorOptions>(json, JsonOptions)
        ?? throw new InvalidOperationException("The simulator configuration is empty.");

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        if (Accounts.Count == 0)
        {
            throw new InvalidOperationException("The simulator needs at least one account.");
        }

        foreach (var account in Accounts)
        {
            account.Validate();
        }
    }
}
