using ConnectorOperator.Contracts;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>
/// Protocol timings. Production keeps the defaults; tests shorten them through
/// CONNECTOR_TIMING_* variables (documented in docs/connector-contract.md).
/// </summary>
public sealed record ConnectorTimings
{
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ChatPollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan DomainCacheTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a Messaging ring that found the connector full is held for a slot to free before it is
    /// rejected (never later than <see cref="RingHoldExpiryMargin"/> before the ring expires).
    /// </summary>
    public TimeSpan RingHoldTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the bot is probed (at start, then at this interval) so its health is known before a conversation needs it.</summary>
    public TimeSpan BotProbeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A held ring is rejected at least this long before it expires, so the service can still re-offer it.</summary>
    public static readonly TimeSpan RingHoldExpiryMargin = TimeSpan.FromSeconds(2);

    internal static ConnectorTimings Read(Func<string, string?> get, List<string> problems)
    {
        TimeSpan Ms(string name, TimeSpan fallback, int min, int max) =>
            get(name) is { } text
                ? TimeSpan.FromMilliseconds(ConnectorSettings.ParseInt(text, name, (int)fallback.TotalMilliseconds, min, max, problems))
                : fallback;

        var defaults = new ConnectorTimings();
        return new ConnectorTimings
        {
            RefreshInterval = Ms(ConnectorEnvironment.TimingRefreshMs, defaults.RefreshInterval, 100, 3_600_000),
            RequestTimeout = Ms(ConnectorEnvironment.TimingRequestTimeoutMs, defaults.RequestTimeout, 100, 120_000),
            KeepAliveInterval = Ms(ConnectorEnvironment.TimingKeepAliveMs, defaults.KeepAliveInterval, 100, 600_000),
            ReconnectInitialDelay = Ms(ConnectorEnvironment.TimingReconnectInitialMs, defaults.ReconnectInitialDelay, 10, 60_000),
            ReconnectMaxDelay = Ms(ConnectorEnvironment.TimingReconnectMaxMs, defaults.ReconnectMaxDelay, 100, 600_000),
            ChatPollInterval = Ms(ConnectorEnvironment.TimingChatPollMs, defaults.ChatPollInterval, 50, 60_000),
            DomainCacheTime = Ms(ConnectorEnvironment.TimingDomainCacheMs, defaults.DomainCacheTime, 0, 3_600_000),
            RingHoldTime = Ms(ConnectorEnvironment.TimingRingHoldMs, defaults.RingHoldTime, 100, 60_000),
            BotProbeInterval = Ms(ConnectorEnvironment.TimingBotProbeMs, defaults.BotProbeInterval, 100, 3_600_000),
        };
    }
}
