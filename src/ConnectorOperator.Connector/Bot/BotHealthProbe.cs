using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Bot;

/// <summary>
/// Probes the bot at start and then every interval, so the bot component is known before a conversation needs it
/// and a bot that went down (or came back) while no conversation was running is noticed. A bot that failed is
/// probed again sooner (<see cref="RetryAfterFailure"/> at most), since no conversation is taken until it answers.
/// </summary>
public sealed class BotHealthProbe(IBotClient bot, TimeSpan interval, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        bool? wasUp = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var up = await ProbeOnceAsync(stoppingToken);
            if (up != wasUp)
            {
                if (up)
                    logger.LogInformation("The bot answered its health probe");
                else
                    logger.LogWarning("The bot failed its health probe; probing again every {Seconds:0.#} s until it answers", Next(up).TotalSeconds);
                wasUp = up;
            }

            try
            {
                await Task.Delay(Next(up), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private TimeSpan Next(bool up) => up || interval < RetryAfterFailure ? interval : RetryAfterFailure;

    private async Task<bool> ProbeOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bot.ProbeAsync(stoppingToken);
            return true;
        }
        catch (BotUnreachableException)
        {
            // The client already put the reason into the bot component.
            return false;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
