using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.Dev;

/// <summary>
/// Simulated consumers in waves: each wave opens its conversations over <see cref="WaveInterval"/>, chats for
/// <see cref="Hold"/>, then leaves. The waves start one interval apart, so the load climbs to the peak and comes down.
/// The defaults peak at 180 conversations, past what 3 connectors of 50 hold, so the demo scales 2 → 4 connectors and back.
/// </summary>
public sealed class TrafficRamp
{
    public int Waves { get; init; } = 6;

    public int ConversationsPerWave { get; init; } = 30;

    public TimeSpan WaveInterval { get; init; } = TimeSpan.FromSeconds(15);

    // Longer than the waves take to open, so every wave is still there when the last one has opened: the peak is reached.
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(90);

    public double MessagesPerSecond { get; init; } = 0.1;

    public int Peak => Waves * ConversationsPerWave;

    public async Task<IReadOnlyList<ConsumerDriverReport>> RunAsync(ConversationalCloudSimulator simulator, string accountId, string skillId, CancellationToken cancellationToken)
    {
        var waves = Enumerable.Range(0, Waves).Select(async wave =>
        {
            await Task.Delay(WaveInterval * wave, cancellationToken);
            return await ConsumerDriver.RunAsync(simulator, new ConsumerDriverOptions
            {
                AccountId = accountId,
                SkillId = skillId,
                Conversations = ConversationsPerWave,
                MessagesPerSecond = MessagesPerSecond,
                OpenSpread = WaveInterval,
                Duration = Hold,
                AnswerTimeout = TimeSpan.FromSeconds(10),
                CloseAtEnd = true,
            }, cancellationToken);
        });
        return await Task.WhenAll(waves);
    }
}
