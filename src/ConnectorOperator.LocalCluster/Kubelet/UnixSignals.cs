using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>SIGTERM for a child process: .NET can only kill (SIGKILL), but a kubelet asks politely first.</summary>
public static class UnixSignals
{
    private const int SigTerm = 15;

    /// <summary>False when the signal could not be sent (Windows, or the process is gone); the caller kills instead.</summary>
    public static bool Terminate(Process process)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return !process.HasExited && NativeMethods.Kill(process.Id, SigTerm) == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int signal);
    }
}
