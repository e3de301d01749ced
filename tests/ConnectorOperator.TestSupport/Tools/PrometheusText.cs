using System.Globalization;

namespace ConnectorOperator.TestSupport.Tools;

/// <summary>A parsed text exposition: each sample by its series (name plus labels as written), to assert values.</summary>
public sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    public PrometheusText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                _types[parts[2]] = parts[3];
                continue;
            }
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            _samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }

    public IReadOnlyDictionary<string, double> Samples => _samples;

    /// <summary>The metric families with their TYPE (counter, gauge, histogram).</summary>
    public IReadOnlyDictionary<string, string> Types => _types;

    /// <summary>The value of one series, e.g. <c>connector_reconnects_total{cause="ConnectionFailed"}</c>; null when absent.</summary>
    public double? Value(string series) => _samples.TryGetValue(series, out var v) ? v : null;

    /// <summary>The sum over every series of <paramref name="name"/> whose label text contains all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params string[] labels) => _samples
        .Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
        .Sum(s => s.Value);
}
