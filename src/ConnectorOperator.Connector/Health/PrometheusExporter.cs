using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ConnectorOperator.Connector.Health;

/// <summary>
/// Prometheus text exposition (format 0.0.4) of one Meter's instruments, gathered with a MeterListener:
/// counters as <c>_total</c>, histograms as cumulative buckets, observable gauges and counters read at scrape time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly object _gate = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, Dictionary<string, double>> _sums = [];
    private readonly Dictionary<Instrument, Dictionary<string, HistogramState>> _histograms = [];
    private readonly List<Instrument> _instruments = [];

    // One tag with a text value is every tagged measurement the connector makes (direction, outcome), over a
    // handful of values: each label is built once rather than per measurement. It grows no faster than _sums.
    private readonly ConcurrentDictionary<(string Key, string Value), string> _singleLabels = new();

    public PrometheusExporter(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                lock (_gate)
                {
                    _instruments.Add(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        lock (_gate)
        {
            // Observable instruments report their current value (a gauge's level, a counter's total); forget the previous scrape's.
            foreach (var observable in _instruments.Where(i => i.IsObservable))
            {
                _sums.Remove(observable);
            }
        }

        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var instrument in _instruments)
            {
                Write(text, instrument);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Write(StringBuilder text, Instrument instrument)
    {
        var isHistogram = instrument is Histogram<double> or Histogram<long>;
        var isCounter = IsCounter(instrument);
        var name = isCounter ? instrument.Name + "_total" : instrument.Name;
        text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description ?? instrument.Name).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(isHistogram ? "histogram" : isCounter ? "counter" : "gauge").Append('\n');
        if (isHistogram)
        {
            foreach (var (labels, state) in _histograms.GetValueOrDefault(instrument) ?? [])
            {
                long cumulative = 0;
                for (var i = 0; i < Bounds.Length; i++)
                {
                    cumulative += state.Counts[i];
                    Sample(text, name + "_bucket", Join(labels, $"le=\"{Number(Bounds[i])}\""), cumulative);
                }

                Sample(text, name + "_bucket", Join(labels, "le=\"+Inf\""), state.Count);
                Sample(text, name + "_sum", labels, state.Sum);
                Sample(text, name + "_count", labels, state.Count);
            }

            return;
        }

        var values = _sums.GetValueOrDefault(instrument);
        if (values is null || values.Count == 0)
        {
            Sample(text, name, "", 0);
            return;
        }

        foreach (var (labels, value) in values)
        {
            Sample(text, name, labels, value);
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_gate)
        {
            if (instrument is Histogram<double> or Histogram<long>)
            {
                var perLabels = Ensure(_histograms, instrument);
                if (!perLabels.TryGetValue(labels, out var state))
                {
                    state = new HistogramState();
                    perLabels[labels] = state;
                }

                state.Add(value);
                return;
            }

            var sums = Ensure(_sums, instrument);
            // A synchronous counter reports increments; observable instruments report the value itself.
            sums[labels] = IsCounter(instrument) && !instrument.IsObservable ? sums.GetValueOrDefault(labels) + value : value;
        }
    }

    private static bool IsCounter(Instrument instrument) =>
        instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>;

    private static Dictionary<string, T> Ensure<T>(Dictionary<Instrument, Dictionary<string, T>> map, Instrument instrument)
    {
        if (!map.TryGetValue(instrument, out var inner))
        {
            inner = new Dictionary<string, T>(StringComparer.Ordinal);
            map[instrument] = inner;
        }

        return inner;
    }

    private string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        if (tags.Length == 1 && tags[0].Value is string text)
        {
            return _singleLabels.GetOrAdd((tags[0].Key, text), static tag => Label(tag.Key, tag.Value));
        }

        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            parts.Add(Label(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private static string Label(string key, string value) =>
        $"{key}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class HistogramState
    {
        public long[] Counts { get; } = new long[Bounds.Length];

        public long Count { get; private set; }

        public double Sum { get; private set; }

        public void Add(double value)
        {
            Count++;
            Sum += value;
            var index = Array.FindIndex(Bounds, b => value <= b);
            if (index >= 0)
            {
                Counts[index]++;
            }
        }
    }
}
