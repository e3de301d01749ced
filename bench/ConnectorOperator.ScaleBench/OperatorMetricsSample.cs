using System.Globalization;
using System.Text.RegularExpressions;

namespace ConnectorOperator.ScaleBench;

/// <summary>The counters of one /metrics scrape the bench needs: API requests by verb and resource, status polls, reconciles, GC heap.</summary>
internal sealed partial class OperatorMetricsSample
{
    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete"];

    public Dictionary<(string Verb, string Resource), double> Requests { get; } = [];

    public double StatusPolls { get; private set; }

    public double Reconciles { get; private set; }

    public double GcHeapBytes { get; private set; }

    public static OperatorMetricsSample Parse(string exposition)
    {
        var sample = new OperatorMetricsSample();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var match = Sample().Match(line);
            if (!match.Success) continue;
            var name = match.Groups["name"].Value;
            var labels = Labels(match.Groups["labels"].Value);
            var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "connector_operator_api_requests_total":
                    var key = (labels.GetValueOrDefault("verb", "?"), labels.GetValueOrDefault("resource", "?"));
                    sample.Requests[key] = sample.Requests.GetValueOrDefault(key) + value;
                    break;
                case "connector_operator_status_polls_total": sample.StatusPolls += value; break;
                case "connector_operator_reconcile_total": sample.Reconciles += value; break;
                case "dotnet_total_memory_bytes": sample.GcHeapBytes = value; break;
            }
        }
        return sample;
    }

    /// <summary>Writes made since <paramref name="before"/>, by verb and resource; Lease renewals apart when <paramref name="withoutLeases"/>.</summary>
    public Dictionary<string, double> WritesSince(OperatorMetricsSample? before, bool withoutLeases) =>
        Since(before).Where(r => WriteVerbs.Contains(r.Key.Verb) && !(withoutLeases && r.Key.Resource == "leases"))
            .ToDictionary(r => $"{r.Key.Verb} {r.Key.Resource}", r => r.Value);

    /// <summary>Reads (get, list, watch) since <paramref name="before"/>, by verb and resource.</summary>
    public Dictionary<string, double> ReadsSince(OperatorMetricsSample? before) =>
        Since(before).Where(r => !WriteVerbs.Contains(r.Key.Verb)).ToDictionary(r => $"{r.Key.Verb} {r.Key.Resource}", r => r.Value);

    private IEnumerable<KeyValuePair<(string Verb, string Resource), double>> Since(OperatorMetricsSample? before) =>
        Requests.Select(r => KeyValuePair.Create(r.Key, r.Value - (before?.Requests.GetValueOrDefault(r.Key) ?? 0))).Where(r => r.Value > 0);

    private static Dictionary<string, string> Labels(string text) =>
        Label().Matches(text).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Label();
}
