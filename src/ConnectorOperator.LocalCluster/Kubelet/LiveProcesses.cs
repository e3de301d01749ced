using System.Diagnostics;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// Every container process this process started and that still runs. When this process exits, even without the
/// kubelets being disposed, they are killed: no connector may outlive the local cluster that started it.
/// </summary>
internal static class LiveProcesses
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<Process> Running = [];
    private static bool _hooked;

    public static void Add(Process process)
    {
        lock (Gate)
        {
            Running.Add(process);
            if (_hooked) return;
            _hooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }
    }

    public static void Remove(Process process)
    {
        lock (Gate) Running.Remove(process);
    }

    public static void KillAll()
    {
        Process[] all;
        lock (Gate) all = [.. Running];
        foreach (var process in all)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited meanwhile.
            }
        }
    }
}
