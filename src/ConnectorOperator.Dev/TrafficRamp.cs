using ConnectorOperator.Simulator;
using ConnectorOperator.Simulator.Consumers;

namespace ConnectorOperator.Dev;

/// <summary>
/// Simulated consumers in waves: each wave opens its conversations over <see cref="WaveInterval"/>, chats for
/// <see cref="Hold"/>, then leaves. The waves start one interval apart, so the load climbs to the peak and comes down.
/// </summary>
public sealed class TrafficRamp
{
    public int Waves { get; init; } = 4;

    public int ConversationsPerWave { get; init; } = 30;

    public TimeSpan WaveInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(75);

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
