using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace ConnectorOperator.Connector.Health;

/// <summary>The health and control endpoints of the connector contract.</summary>
public static class HealthServer
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Map(IEndpointRouteBuilder app, HealthState health, ConnectorMetrics metrics, IDrainControl drain)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(drain);
        app.MapGet(ConnectorEndpoints.Healthz, () => health.IsAlive()
            ? Results.Text("ok\n", "text/plain")
            : Results.Text("stuck: the connector loops stopped making progress\n", "text/plain", statusCode: 503));

        app.MapGet(ConnectorEndpoints.Readyz, () =>
        {
            var problems = health.ReadinessProblems();
            var body = new JsonObject
            {
                ["ready"] = problems.Count == 0,
                ["missing"] = new JsonArray([.. problems.Select(p => (JsonNode?)JsonValue.Create(p))]),
            };
            return JsonResult(body, problems.Count == 0 ? 200 : 503);
        });

        app.MapGet(ConnectorEndpoints.Status, () => Results.Text(
            JsonSerializer.Serialize(health.Snapshot(), ConnectorStatusJsonContext.Default.ConnectorStatusReport),
            "application/json; charset=utf-8"));

        app.MapMetrics(ConnectorEndpoints.Metrics, metrics.Registry);

        app.MapPost(ConnectorEndpoints.Drain, () =>
        {
            drain.RequestDrain();
            return JsonResult(new JsonObject { ["draining"] = true }, 202);
        });

        // A pod's preStop hook can only GET, and the kubelet sends SIGTERM as soon as the hook returns:
        // answering once the drain is over keeps the hand-back from racing the signal.
        app.MapGet(ConnectorEndpoints.Drain, async (CancellationToken aborted) =>
        {
            drain.RequestDrain();
            var drained = await WaitAsync(drain.Drained, drain.DrainTime, aborted);
            return JsonResult(new JsonObject { ["draining"] = true, ["drained"] = drained }, 200);
        });
    }

    /// <summary>True when the drain handed everything back within the drain time, false when it did not.</summary>
    private static async Task<bool> WaitAsync(Task<bool> drained, TimeSpan drainTime, CancellationToken aborted)
    {
        try
        {
            return await drained.WaitAsync(drainTime, aborted);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static IResult JsonResult(JsonNode body, int status) =>
        Results.Text(body.ToJsonString(Json), "application/json; charset=utf-8", statusCode: status);
}
