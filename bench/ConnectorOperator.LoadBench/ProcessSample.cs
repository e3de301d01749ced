namespace ConnectorOperator.LoadBench;

/// <summary>One reading of the connector process: when, resident and private memory, CPU used so far.</summary>
internal readonly record struct ProcessSample(long Timestamp, long WorkingSetBytes, long PrivateBytes, TimeSpan Cpu);
