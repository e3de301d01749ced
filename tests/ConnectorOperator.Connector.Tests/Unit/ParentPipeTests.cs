using System.IO.Pipes;

namespace ConnectorOperator.Connector.Tests.Unit;

public sealed class ParentPipeTests
{
    [Fact]
    public async Task The_connector_is_told_once_when_the_launchers_end_of_the_pipe_closes_and_not_before()
    {
        using var launcherEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var connectorEnd = new AnonymousPipeClientStream(PipeDirection.In, launcherEnd.ClientSafePipeHandle);
        var gone = 0;
        // Asynchronous continuations: otherwise the rest of this test would run on the watcher thread itself, inside
        // the callback, and joining that thread from itself would never return.
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = ParentPipe.Watch(connectorEnd, () =>
        {
            Interlocked.Increment(ref gone);
            told.TrySetResult();
        });

        // Bytes on the pipe are not a reason to stop.
        launcherEnd.Write("x"u8);
        launcherEnd.Flush();
        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref gone));

        launcherEnd.Dispose();
        await told.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(watcher.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, gone);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_true_turns_the_watch_on(string? value, bool enabled) =>
        Assert.Equal(enabled, ParentPipe.Enabled(value));
}
