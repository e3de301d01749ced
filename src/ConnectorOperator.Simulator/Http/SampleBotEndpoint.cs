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
            if (settings.ApiKey is { } key && !KeyMatches(LoginEndpoints.BearerOf(context.Request), key))
            {
                engine.CountBotCall(failed: true);
                return HttpJson.Error(401, "missing or wrong bearer key");
            }

            var (latency, failure) = engine.Faults.BotOverrides();
            var delay = latency ?? settings.Latency;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, engine.Time, context.RequestAborted);
            }

            if ((failure ?? settings.FailureStatus) is { } status)
            {
                engine.CountBotCall(failed: true);
                return HttpJson.Error(status, "the sample bot is failing on purpose");
            }

            var request = await HttpJson.ReadObjectAsync(context.Request);
            if (request is null)
            {
                engine.CountBotCall(failed: true);
                return HttpJson.Error(400, "a JSON body is required");
            }

            engine.CountBotCall(failed: false);
            return HttpJson.Json(SampleBot.Answer(request, settings.HumanSkillId));
        });
    }

    private static bool KeyMatches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
