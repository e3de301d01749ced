using System.Globalization;

namespace ConnectorOperator.LoadBench;

/// <summary>The few connector metrics the bench needs, read from its Prometheus text (<c>/metrics</c>).</summary>
internal readonly record struct ConnectorCounters(double ToBot, double ToConsumer, double BotCalls, double BotSeconds, double ActiveConversations)
{
    public static ConnectorCounters Parse(string text)
    {
        double toBot = 0, toConsumer = 0, botCalls = 0, botSeconds = 0, active = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var series = line[..space];
            if (series.StartsWith("connector_messages_relayed_total", StringComparison.Ordinal))
            {
                if (series.Contains("\"toBot\"", StringComparison.Ordinal))
                {
                    toBot += value;
                }
                else if (series.Contains("\"toConsumer\"", StringComparison.Ordinal))
                {
                    toConsumer += value;
                }
            }
            else if (series.StartsWith("connector_bot_round_trip_seconds_count", StringComparison.Ordinal))
            {
                botCalls += value;
            }
            else if (series.StartsWith("connector_bot_round_trip_seconds_sum", StringComparison.Ordinal))
            {
                botSeconds += value;
            }
            else if (series.StartsWith("connector_active_conversations", StringComparison.Ordinal))
            {
                active += value;
            }
        }

        return new ConnectorCounters(toBot, toConsumer, botCalls, botSeconds, active);
    }

    public static ConnectorCounters operator -(ConnectorCounters later, ConnectorCounters earlier) => new(
        later.ToBot - earlier.ToBot,
        later.ToConsumer - earlier.ToConsumer,
        later.BotCalls - earlier.BotCalls,
        later.BotSeconds - earlier.BotSeconds,
        later.ActiveConversations);
}
