using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Tests;

internal static class TestSimulators
{
    /// <summary>The default accounts with every timer shortened for tests.</summary>
    public static SimulatorOptions FastOptions(Action<SimulatorOptions>? adjust = null)
    {
        var options = SimulatorOptions.CreateDefault();
        options.SweepInterval = TimeSpan.FromMilliseconds(20);
        adjust?.Invoke(options);
        return options;
    }

    public static Task<ConversationalCloudSimulator> StartAsync(Action<SimulatorOptions>? adjust = null) =>
        ConversationalCloudSimulator.StartAsync(FastOptions(adjust));
}
