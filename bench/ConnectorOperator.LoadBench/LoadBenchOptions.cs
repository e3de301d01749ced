using System.Globalization;

namespace ConnectorOperator.LoadBench;

/// <summary>What one benchmark invocation runs; every field has a default so `make loadbench` needs no arguments.</summary>
internal sealed record LoadBenchOptions
{
    public IReadOnlyList<int> ConversationCounts { get; init; } = [50, 200, 500];

    /// <summary>How long consumers keep writing in each run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages per conversation per second.</summary>
    public double Rate { get; init; } = 0.5;

    /// <summary>The sample bot's fixed answer delay.</summary>
    public TimeSpan BotLatency { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Conversations are opened evenly over this time rather than in one burst.</summary>
    public TimeSpan OpenSpread { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A short run before the baseline so JIT and connection pools are not billed to the first conversations.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public string Output { get; init; } = Path.Combine("artifacts", "loadbench.md");

    /// <summary>The built connector; null: next to the bench, then the Release build under src/.</summary>
    public string? ConnectorPath { get; init; }

    public const string Usage = """
        usage: loadbench [--conversations 50,200,500] [--duration 30s] [--rate 0.5] [--bot-latency 20ms]
                         [--open-spread 5s] [--warmup 3s] [--output artifacts/loadbench.md] [--connector path/connector.dll]
        durations: 500ms, 30s, 2m or plain seconds
        """;

    /// <summary>Parses command-line arguments; null with <paramref name="error"/> set when they are wrong.</summary>
    public static LoadBenchOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new LoadBenchOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            options = name switch
            {
                "--conversations" => ParseCounts(value, out error) is { } counts ? options with { ConversationCounts = counts } : null,
                "--duration" => ParseDuration(value, name, out error) is { } d && d > TimeSpan.Zero ? options with { Duration = d } : Fail(ref error, $"{name} must be a positive duration"),
                "--rate" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && rate <= 100
                    ? options with { Rate = rate }
                    : Fail(ref error, $"--rate must be a number of messages per second in (0, 100], got '{value}'"),
                "--bot-latency" => ParseDuration(value, name, out error) is { } l ? options with { BotLatency = l } : null,
                "--open-spread" => ParseDuration(value, name, out error) is { } s ? options with { OpenSpread = s } : null,
                "--warmup" => ParseDuration(value, name, out error) is { } w ? options with { Warmup = w } : null,
                "--output" => options with { Output = value },
                "--connector" => options with { ConnectorPath = value },
                _ => Fail(ref error, $"unknown option {name}"),
            };
            if (options is null)
            {
                return null;
            }
        }

        if (options.OpenSpread >= options.Duration)
        {
            error = "--open-spread must be shorter than --duration";
            return null;
        }

        return options;
    }

    private static LoadBenchOptions? Fail(ref string? error, string message)
    {
        error ??= message;
        return null;
    }

    private static int[]? ParseCounts(string text, out string? error)
    {
        error = null;
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 1000)
            {
                error = $"--conversations takes counts of 1-1000 separated by commas, got '{part}'";
                return null;
            }

            counts.Add(n);
        }

        if (counts.Count == 0)
        {
            error = "--conversations needs at least one count";
            return null;
        }

        return [.. counts];
    }

    internal static TimeSpan? ParseDuration(string text, string name, out string? error)
    {
        error = null;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 3600 / unit)
        {
            error = $"{name} must be a duration such as 500ms, 30s or 2m, got '{text}'";
            return null;
        }

        return TimeSpan.FromSeconds(value * unit);
    }
}
