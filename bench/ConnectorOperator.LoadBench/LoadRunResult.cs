namespace ConnectorOperator.LoadBench;

/// <summary>What one run with N concurrent conversations measured.</summary>
internal sealed record LoadRunResult
{
    public required int Conversations { get; init; }

    /// <summary>Conversations the connector held at the steady-phase start (should equal <see cref="Conversations"/>).</summary>
    public required int HeldAtSteadyState { get; init; }

    public required int Lost { get; init; }

    /// <summary>Answered messages of established conversations (openings excluded).</summary>
    public required int RoundTrips { get; init; }

    public required int UnansweredMessages { get; init; }

    public required double RoundTripP50Ms { get; init; }

    public required double RoundTripP99Ms { get; init; }

    public required double RoundTripMaxMs { get; init; }

    /// <summary>A conversation's first message to its first answer: routing, ring, accept and the bot.</summary>
    public required double OpeningP50Ms { get; init; }

    public required double OpeningP99Ms { get; init; }

    /// <summary>The mean bot call as the connector timed it (the bot's latency plus its HTTP hop).</summary>
    public required double BotCallMeanMs { get; init; }

    /// <summary>Messages the connector sent to the bot during the steady window.</summary>
    public required double RelayedToBot { get; init; }

    public required double SteadySeconds { get; init; }

    public required double CpuPercentOfOneCore { get; init; }

    public required double CpuMsPerMessage { get; init; }

    public required long BaselineWorkingSetBytes { get; init; }

    public required long SteadyWorkingSetBytes { get; init; }

    public required long BaselinePrivateBytes { get; init; }

    public required long SteadyPrivateBytes { get; init; }

    public double OverheadP50Ms => RoundTripP50Ms - BotCallMeanMs;

    public double OverheadP99Ms => RoundTripP99Ms - BotCallMeanMs;

    public double WorkingSetKiBPerConversation => (SteadyWorkingSetBytes - BaselineWorkingSetBytes) / 1024.0 / Conversations;

    public double PrivateKiBPerConversation => (SteadyPrivateBytes - BaselinePrivateBytes) / 1024.0 / Conversations;
}
