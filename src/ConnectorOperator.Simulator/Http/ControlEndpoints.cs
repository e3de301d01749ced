using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ConnectorOperator.Simulator.Cloud;
using ConnectorOperator.Simulator.Faults;
using ConnectorOperator.Simulator.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.Simulator.Http;

/// <summary>
/// <c>/_sim/...</c>: lets out-of-process tests and the demo inspect the service, act as consumers and
/// inject faults.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, CloudEngine engine)
    {
        app.MapGet("/_sim/state", () => Results.Json(engine.Snapshot(), SimulatorOptions.JsonOptions));

        app.MapGet("/_sim/conversations/{conversationId}", (string conversationId) =>
            engine.Snapshot().Conversations.FirstOrDefault(c => c.Id == conversationId) is { } conversation
                ? Results.Json(conversation, SimulatorOptions.JsonOptions)
                : HttpJson.Error(404, "unknown conversation"));

        app.MapPost("/_sim/conversations", async (HttpContext context) =>
        {
            var body = await HttpJson.ReadObjectAsync(context.Request);
            var accountId = HttpJson.Str(body, "accountId");
            var skillId = HttpJson.Str(body, "skillId");
            if (accountId is null || skillId is null)
            {
                return HttpJson.Error(400, "accountId and skillId are required");
            }

            return Guard(() => HttpJson.Json(
                new JsonObject
                {
                    ["conversationId"] = engine.OpenConversation(accountId, skillId, HttpJson.Str(body, "message"), HttpJson.Str(body, "consumerId")),
                },
                201));
        });

        app.MapPost("/_sim/conversations/{conversationId}/messages", async (string conversationId, HttpContext context) =>
        {
            var text = HttpJson.Str(await HttpJson.ReadObjectAsync(context.Request), "text");
            return text is null
                ? HttpJson.Error(400, "text is required")
                : Guard(() => HttpJson.Json(new JsonObject { ["sequence"] = engine.SendConsumerMessage(conversationId, text) }));
        });

        app.MapPost("/_sim/conversations/{conversationId}/close", (string conversationId) =>
            Guard(() =>
            {
                engine.CloseByConsumer(conversationId);
                return HttpJson.Json(new JsonObject());
            }));

        app.MapPost("/_sim/conversations/{conversationId}/stepup", async (string conversationId, HttpContext context) =>
        {
            var consumerId = HttpJson.Str(await HttpJson.ReadObjectAsync(context.Request), "consumerId");
            return consumerId is null
                ? HttpJson.Error(400, "consumerId is required")
                : Guard(() =>
                {
                    engine.StepUpConsumer(conversationId, consumerId);
                    return HttpJson.Json(new JsonObject());
                });
        });

        app.MapPost("/_sim/faults", async (HttpContext context) =>
        {
            var body = await HttpJson.ReadObjectAsync(context.Request);
            return body is null ? HttpJson.Error(400, "a JSON body is required") : ApplyFault(engine, body);
        });

        app.MapGet("/_sim/activity", StreamActivityAsync(engine));
    }

    /// <summary>
    /// One fault per call: <c>{"kind": "dropSockets"|"revokeSession"|"refuseLogins"|"allowLogins"|"failNextRefresh"|
    /// "requestFault"|"bot"|"clear", "accountId", "loginName", "requestType", "delayMs", "failWithCode", "times",
    /// "latencyMs", "failureStatus"}</c>.
    /// </summary>
    private static IResult ApplyFault(CloudEngine engine, JsonObject body)
    {
        var faults = engine.Faults;
        var accountId = HttpJson.Str(body, "accountId");
        var loginName = HttpJson.Str(body, "loginName");
        var times = (int?)HttpJson.Long(body, "times");
        switch (HttpJson.Str(body, "kind"))
        {
            case "dropSockets":
                return HttpJson.Json(new JsonObject { ["dropped"] = engine.DropSockets(accountId, loginName) });
            case "revokeSession" when accountId is not null && loginName is not null:
                return HttpJson.Json(new JsonObject { ["revoked"] = engine.RevokeSession(accountId, loginName) });
            case "refuseLogins" when accountId is not null && loginName is not null:
                faults.RefuseLogins(accountId, loginName);
                break;
            case "allowLogins" when accountId is not null && loginName is not null:
                faults.AllowLogins(accountId, loginName);
                break;
            case "failNextRefresh" when accountId is not null && loginName is not null:
                faults.FailNextRefresh(accountId, loginName, times ?? 1);
                break;
            case "requestFault" when HttpJson.Str(body, "requestType") is { } requestType:
                faults.AddRequestFault(new RequestFault(
                    requestType,
                    TimeSpan.FromMilliseconds(HttpJson.Long(body, "delayMs") ?? 0),
                    (int?)HttpJson.Long(body, "failWithCode"),
                    times));
                break;
            case "bot":
                faults.SetBotLatency(HttpJson.Long(body, "latencyMs") is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
                faults.SetBotFailure((int?)HttpJson.Long(body, "failureStatus"));
                break;
            case "clear":
                faults.Clear();
                break;
            default:
                return HttpJson.Error(400, "unknown fault kind or missing accountId/loginName/requestType");
        }

        return HttpJson.Json(new JsonObject());
    }

    /// <summary>Newline-delimited JSON of every conversation activity from now on (the remote consumer driver reads it).</summary>
    private static RequestDelegate StreamActivityAsync(CloudEngine engine) => async context =>
    {
        var channel = Channel.CreateUnbounded<ConversationActivity>();
        void OnActivity(ConversationActivity activity) => channel.Writer.TryWrite(activity);
        engine.Activity += OnActivity;

        // An endless response: end it when the reader hangs up or the simulator stops, whichever comes first.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = ended.Token;
        try
        {
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.WriteAsync("\n", ct);
            await context.Response.Body.FlushAsync(ct);
            await foreach (var activity in channel.Reader.ReadAllAsync(ct))
            {
                await context.Response.WriteAsync(JsonSerializer.Serialize(activity, SimulatorOptions.JsonOptions) + "\n", ct);
                if (channel.Reader.Count == 0)
                {
                    await context.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The reader hung up.
        }
        finally
        {
            engine.Activity -= OnActivity;
        }
    };

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException ex)
        {
            return HttpJson.Error(404, ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return HttpJson.Error(400, ex.Message);
        }
    }
}
