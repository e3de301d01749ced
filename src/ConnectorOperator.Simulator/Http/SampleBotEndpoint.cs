using System.Security.Cryptography;
using System.Text;
using ConnectorOperator.Simulator.Bot;
using ConnectorOperator.Simulator.Cloud;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConnectorOperator.Simulator.Http;

/// <summary>The sample bot over HTTP: the bot contract, with configurable latency, failure and bearer key.</summary>
internal static class SampleBotEndpoint
{
    public static void Map(IEndpointRouteBuilder app, CloudEngine engine)
    {
        app.MapPost("/bot", async (HttpContext context) =>
        {
            var settings = engine.Options.SampleBot;
            var request = await HttpJson.ReadObjectAsync(context.Request);
            // Health probes meet the same key and faults as conversation traffic, but are not counted as bot calls.
            var probe = HttpJson.Str(request?["event"], "type") == "healthCheck";
            void Count(bool failed)
            {
                if (!probe)
                {
                    engine.CountBotCall(failed);
                }
            }

            if (settings.ApiKey is { } key && !KeyMatches(LoginEndpoints.BearerOf(context.Request), key))
            {
                Count(failed: true);
                return HttpJson.Error(401, "missing or wrong bearer key");
            }

            if (settings.RequireApigeeToken && !engine.Apigee.IsValid(LoginEndpoints.BearerOf(context.Request)))
            {
                Count(failed: true);
                return HttpJson.Error(401, "missing, unknown or expired Apigee token");
            }

            var (latency, failure) = engine.Faults.BotOverrides();
            var delay = latency ?? settings.Latency;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, engine.Time, context.RequestAborted);
            }

            if ((failure ?? settings.FailureStatus) is { } status)
            {
                Count(failed: true);
                return HttpJson.Error(status, "the sample bot is failing on purpose");
            }

            if (request is null)
            {
                Count(failed: true);
                return HttpJson.Error(400, "a JSON body is required");
            }

            Count(failed: false);
            return HttpJson.Json(probe ? new System.Text.Json.Nodes.JsonObject() : SampleBot.Answer(request, settings.HumanSkillId));
        });
    }

    private static bool KeyMatches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
