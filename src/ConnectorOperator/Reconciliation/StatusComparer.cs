using System.Text.Json;
using ConnectorOperator.Api;

namespace ConnectorOperator.Reconciliation;

/// <summary>Status equality as the API server would store it: a write that changes nothing is skipped.</summary>
public static class StatusComparer
{
    public static bool Same(AgentConnectorStatus? a, AgentConnectorStatus? b)
    {
        if (a is null || b is null) return a is null && b is null;
        var info = AgentConnectorJsonContext.Default.AgentConnectorStatus;
        return JsonSerializer.Serialize(a, info) == JsonSerializer.Serialize(b, info);
    }
}
