using System.Runtime.InteropServices;

namespace ConnectorOperator.LoadBench;

/// <summary>Where the numbers came from: benchmarks on a shared 2-core box mean little without the load average.</summary>
internal sealed record MachineDescription(DateTime StartedUtc, int Cores, string Os, string Runtime, string LoadBefore)
{
    public string LoadAfter { get; set; } = "n/a";

    public static MachineDescription Now() => new(
        DateTime.UtcNow,
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        Environment.Version.ToString(),
        LoadAverage());

    /// <summary>1, 5 and 15 minute load averages from /proc/loadavg; "n/a" elsewhere.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
