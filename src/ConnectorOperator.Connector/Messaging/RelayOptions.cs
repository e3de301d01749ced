using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Contracts;
using Key = ConnectorOperator.Contracts.CustomConfigurationKeys;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// The relay's behaviour, taken from the custom configuration for the conversation type. Defaults are the
/// <see cref="CustomConfigurationCatalogue"/>'s, like <see cref="CustomConfiguration"/>'s.
/// </summary>
public sealed record RelayOptions
{
    public TimeSpan MessageDelay { get; init; }
    public TimeSpan? FallbackEscalationTime { get; init; }
    public string? FallbackSkillId { get; init; }
    public string GreetingMessage { get; init; } = Entry(Key.DefaultGreetingMessage).DefaultValue!;
    public string StepupMessage { get; init; } = Entry(Key.DefaultStepupMessage).DefaultValue!;
    public bool SkipAgentMessage { get; init; }
    public int MessageResendMaxRetries { get; init; }
    public TimeSpan RetryMessageInterval { get; init; } = Entry(Key.RetryMessageInterval).DefaultDuration;
    public int MaxEscalationRetries { get; init; } = (int)Entry(Key.MaxEscalationRetries).DefaultInteger;

    /// <summary>READ or SENT; null where the channel has no receipts (Chat).</summary>
    public string? AcceptStatus { get; init; }

    public TimeSpan? MaxConsumerMessageDelay { get; init; }
    public string TileDisplay { get; init; } = Entry(Key.TileDisplay).DefaultValue!;

    /// <summary>Send a clicked button's label to the bot instead of its postback value.</summary>
    public bool EnableButtonTextOnPostback { get; init; }
    public bool Accessibility { get; init; }

    /// <summary>How long the replayed history is collected before deciding how the conversation starts.</summary>
    public TimeSpan HistoryWindow { get; init; }

    public static RelayOptions ForMessaging(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = settings.Custom;
        return new RelayOptions
        {
            MessageDelay = c.MessageDelay,
            FallbackEscalationTime = c.FallbackEscalationTime,
            FallbackSkillId = settings.FallbackSkillId,
            GreetingMessage = c.DefaultGreetingMessage,
            StepupMessage = c.DefaultStepupMessage,
            SkipAgentMessage = c.SkipAgentMessage,
            MessageResendMaxRetries = c.MessageResendMaxRetries,
            RetryMessageInterval = c.RetryMessageInterval,
            MaxEscalationRetries = c.MaxEscalationRetries,
            AcceptStatus = c.AcceptStatusEventValue,
            MaxConsumerMessageDelay = c.MaxConsumerMessageDelay,
            TileDisplay = c.TileDisplay,
            EnableButtonTextOnPostback = c.EnableButtonTextOnPostback,
            Accessibility = settings.Accessibility,
            HistoryWindow = c.MessageDelay > TimeSpan.FromMilliseconds(200) ? c.MessageDelay : TimeSpan.FromMilliseconds(200),
        };
    }

    /// <summary>Chat: only the greeting, the fallback skill and accessibility apply; lines go one by one.</summary>
    public static RelayOptions ForChat(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RelayOptions
        {
            FallbackSkillId = settings.FallbackSkillId,
            GreetingMessage = settings.Custom.DefaultGreetingMessage,
            Accessibility = settings.Accessibility,
            MaxEscalationRetries = 0,

            // The first events page is the history; this only bounds the wait if that page never comes.
            HistoryWindow = TimeSpan.FromSeconds(30),
        };
    }

    private static CustomConfigurationEntry Entry(string key) => CustomConfigurationCatalogue.Get(key);
}
