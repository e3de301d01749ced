namespace ConnectorOperator.Connector;

/// <summary>
/// How a connector started by a local launcher learns that the launcher died, however it died: the launcher holds
/// the connector's standard input as a pipe it never writes to, and the kernel closes the pipe's write end when the
/// launcher's process ends, SIGKILL included. Reading to end of file then drains the connector instead of leaving
/// it running with its agent user's session logged in. A signal to the parent cannot do this (SIGKILL runs no
/// code), and Linux's parent-death signal would need native calls in every launcher.
/// </summary>
internal static class ParentPipe
{
    public static bool Enabled(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads <paramref name="input"/> on a background thread (console input has no true asynchronous read) and calls
    /// <paramref name="parentGone"/> once, at end of file or when reading fails.
    /// </summary>
    public static Thread Watch(Stream input, Action parentGone)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parentGone);
        var thread = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                while (input.Read(buffer) > 0)
                {
                    // Nothing is expected on the pipe; anything written is ignored.
                }
            }
            catch (IOException)
            {
                // A broken pipe means the same as end of file.
            }
            catch (ObjectDisposedException)
            {
                // The stream was closed under us: the same.
            }

            parentGone();
        })
        {
            IsBackground = true,
            Name = "parent-pipe",
        };
        thread.Start();
        return thread;
    }
}
