using System.Text.Json.Serialization;

namespace ConnectorOperator.ScaleBench;

/// <summary>One run's figures; the first eight keys are the ones issue 11 names for docs/benchmarks/scale.json.</summary>
internal sealed class ScaleResult
{
    [JsonPropertyName("n")] public int N { get; set; }
    [JsonPropertyName("allOnlineSeconds")] public double AllOnlineSeconds { get; set; }
    [JsonPropertyName("p50Seconds")] public double P50Seconds { get; set; }
    [JsonPropertyName("p99Seconds")] public double P99Seconds { get; set; }
    [JsonPropertyName("writesPerConnector")] public double WritesPerConnector { get; set; }
    [JsonPropertyName("steadyWrites")] public double SteadyWrites { get; set; }
    [JsonPropertyName("operatorRssMb")] public double OperatorRssMb { get; set; }
    [JsonPropertyName("fdsPerPod")] public double FdsPerPod { get; set; }
    /// <summary>False when the run hit its limit: the times are then lower bounds and the reactions were not measured.</summary>
    [JsonPropertyName("complete")] public bool Complete { get; set; }
    [JsonPropertyName("online")] public int Online { get; set; }
    [JsonPropertyName("writesToOnline")] public Dictionary<string, double> WritesToOnline { get; set; } = [];
    [JsonPropertyName("readsToOnline")] public Dictionary<string, double> ReadsToOnline { get; set; } = [];
    [JsonPropertyName("steadyWritesByVerb")] public Dictionary<string, double> SteadyWritesByVerb { get; set; } = [];
    [JsonPropertyName("steadyLeaseWrites")] public double SteadyLeaseWrites { get; set; }
    [JsonPropertyName("statusPollsPerSecond")] public double StatusPollsPerSecond { get; set; }
    [JsonPropertyName("cpuSecondsToOnline")] public double CpuSecondsToOnline { get; set; }
    [JsonPropertyName("steadyCpuPercent")] public double SteadyCpuPercent { get; set; }
    [JsonPropertyName("gcHeapMb")] public double GcHeapMb { get; set; }
    [JsonPropertyName("fileDescriptors")] public int FileDescriptors { get; set; }
    [JsonPropertyName("cachedPods")] public int CachedPods { get; set; }
    [JsonPropertyName("configEditToObservedSeconds")] public double ConfigEditToObservedSeconds { get; set; }
    [JsonPropertyName("configEditToRolledOutSeconds")] public double ConfigEditToRolledOutSeconds { get; set; }
    [JsonPropertyName("podDeletedToReplacementSeconds")] public double PodDeletedToReplacementSeconds { get; set; }
    [JsonPropertyName("loadToPodRequestedSeconds")] public double LoadToPodRequestedSeconds { get; set; }
    /// <summary>How long the bench took to create the N AgentConnectors (through the double's write pipeline, in-process).</summary>
    [JsonPropertyName("createdSeconds")] public double CreatedSeconds { get; set; }

    [JsonPropertyName("startToFirstReconcileSeconds")] public double StartToFirstReconcileSeconds { get; set; }
    [JsonPropertyName("loadAverageBefore")] public string LoadAverageBefore { get; set; } = "";
    [JsonPropertyName("loadAverageAfter")] public string LoadAverageAfter { get; set; } = "";
}

/// <summary>The file: when and how it was measured, and one result per N.</summary>
internal sealed class ScaleReport
{
    [JsonPropertyName("measuredAt")] public DateTimeOffset MeasuredAt { get; set; }
    [JsonPropertyName("command")] public string Command { get; set; } = "";
    [JsonPropertyName("processors")] public int Processors { get; set; }
    [JsonPropertyName("runs")] public List<ScaleResult> Runs { get; set; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ScaleReport))]
internal sealed partial class ScaleJsonContext : JsonSerializerContext;
