using ConnectorOperator.Simulator.Faults;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.Simulator.Http;

/// <summary>Applies an injected delay or failure to an HTTP request of a given kind.</summary>
internal static class RequestFaultGate
{
    /// <summary>Null to go on serving; otherwise the injected failure to return.</summary>
    public static async Task<IResult?> ApplyAsync(SimulatorFaults faults, string requestType, TimeProvider time, CancellationToken ct)
    {
        if (faults.TakeRequestFault(requestType) is not { } fault)
        {
            return null;
        }

        if (fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, time, ct);
        }

        return fault.FailWithCode is { } code ? HttpJson.Error(code, "injected failure") : null;
    }
}
