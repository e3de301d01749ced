using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConnectorOperator.Simulator.Http;

/// <summary>The Chat agent REST API on agentVep (Chat accounts only), authorised by the login's bearer.</summary>
internal static class ChatEndpoints
{
    private const string Root = "/api/account/{accountId}/agentSession";

    public static void Map(IEndpointRouteBuilder app, CloudEngine engine)
    {
        app.MapPost(Root, async (string accountId, HttpContext context) =>
        {
            if (await FaultAsync(engine, context) is { } failure)
            {
                return failure;
            }

            var chat = engine.CreateChatSession(accountId, LoginEndpoints.BearerOf(context.Request));
            if (chat is null)
            {
                return HttpJson.Error(401, "not logged in to a Chat account");
            }

            var location = Absolute(context, $"/api/account/{accountId}/agentSession/{chat.Id}");
            context.Response.Headers.Location = location;
            return HttpJson.Json(new JsonObject { ["agentSessionId"] = chat.Id, ["agentSessionLocation"] = new JsonObject { ["link"] = new JsonObject { ["@href"] = location, ["@rel"] = "location" } } }, 201);
        });

        app.MapMethods(Root + "/{sessionId}/availability", ["POST", "PUT"], (string accountId, string sessionId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, async chat =>
            {
                var body = await HttpJson.ReadObjectAsync(context.Request);
                return engine.SetChatAvailability(chat, HttpJson.Str(body?["availability"], "chat"))
                    ? HttpJson.Json(new JsonObject())
                    : HttpJson.Error(400, "availability.chat must be Online, Away or Occupied");
            }));

        app.MapGet(Root + "/{sessionId}/incomingRequests", (string accountId, string sessionId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, chat => Task.FromResult(HttpJson.Json(new JsonObject
            {
                ["incomingRequests"] = new JsonObject { ["ringingCount"] = engine.RingingCount(chat).ToString(CultureInfo.InvariantCulture) },
            }))));

        app.MapPost(Root + "/{sessionId}/incomingRequests", (string accountId, string sessionId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, chat =>
            {
                if (engine.AcceptChat(chat) is not { } chatId)
                {
                    return Task.FromResult(HttpJson.Error(404, "no chat is ringing"));
                }

                var location = Absolute(context, $"/api/account/{accountId}/agentSession/{sessionId}/chat/{chatId}");
                context.Response.Headers.Location = location;
                return Task.FromResult(HttpJson.Json(new JsonObject { ["chatId"] = chatId, ["chatLocation"] = new JsonObject { ["link"] = new JsonObject { ["@href"] = location, ["@rel"] = "location" } } }, 201));
            }));

        app.MapGet(Root + "/{sessionId}/chat/{chatId}/events", (string accountId, string sessionId, string chatId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, chat =>
            {
                var from = long.TryParse(context.Request.Query["from"], CultureInfo.InvariantCulture, out var n) ? n : 0;
                if (engine.ChatEvents(chat, chatId, from) is not { } view)
                {
                    return Task.FromResult(HttpJson.Error(404, "no such chat for this agent session"));
                }

                var next = Absolute(context, $"/api/account/{accountId}/agentSession/{sessionId}/chat/{chatId}/events?v=1&NC=true&from={view.NextFrom.ToString(CultureInfo.InvariantCulture)}");
                return Task.FromResult(HttpJson.Json(new JsonObject
                {
                    ["events"] = new JsonObject
                    {
                        ["link"] = new JsonArray { new JsonObject { ["@rel"] = "next", ["@href"] = next } },
                        ["event"] = view.Events,
                    },
                }));
            }));

        app.MapPost(Root + "/{sessionId}/chat/{chatId}/events", (string accountId, string sessionId, string chatId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, async chat =>
            {
                var ev = (await HttpJson.ReadObjectAsync(context.Request))?["event"];
                var served = HttpJson.Str(ev, "@type") switch
                {
                    "line" when HttpJson.Str(ev, "text") is { } text => engine.AddChatLine(chat, chatId, text),
                    "state" when HttpJson.Str(ev, "state") == "ended" => engine.EndChat(chat, chatId),
                    _ => (bool?)null,
                };
                return served switch
                {
                    null => HttpJson.Error(400, "event must be a line with text or the state ended"),
                    false => HttpJson.Error(404, "no such open chat for this agent session"),
                    true => HttpJson.Json(new JsonObject(), 201),
                };
            }));

        app.MapPost(Root + "/{sessionId}/chat/{chatId}/transfer", (string accountId, string sessionId, string chatId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, async chat =>
            {
                var transfer = (await HttpJson.ReadObjectAsync(context.Request))?["transfer"];
                var error = engine.TransferChat(chat, chatId, HttpJson.Str(transfer?["skill"], "id"), HttpJson.Str(transfer, "text"));
                return error is null ? HttpJson.Json(new JsonObject(), 201) : HttpJson.Error(400, error);
            }));

        app.MapMethods(Root + "/{sessionId}", ["DELETE", "POST"], (string accountId, string sessionId, HttpContext context) =>
            WithChatAsync(engine, context, accountId, sessionId, chat =>
            {
                if (EffectiveMethod(context.Request) != "DELETE")
                {
                    return Task.FromResult(HttpJson.Error(405, "only DELETE is served on an agent session"));
                }

                engine.DeleteChatSession(chat);
                return Task.FromResult(HttpJson.Json(new JsonObject()));
            }));
    }

    private static async Task<IResult> WithChatAsync(CloudEngine engine, HttpContext context, string accountId, string sessionId, Func<ChatAgentSession, Task<IResult>> serve)
    {
        if (await FaultAsync(engine, context) is { } failure)
        {
            return failure;
        }

        var chat = engine.FindChatSession(accountId, LoginEndpoints.BearerOf(context.Request), sessionId);
        return chat is null ? HttpJson.Error(401, "no such agent session for this login") : await serve(chat);
    }

    /// <summary>The API tunnels PUT and DELETE through POST with <c>X-HTTP-Method-Override</c>.</summary>
    private static string EffectiveMethod(HttpRequest request)
    {
        var overridden = request.Headers["X-HTTP-Method-Override"].ToString();
        return (overridden.Length > 0 && request.Method == "POST" ? overridden : request.Method).ToUpperInvariant();
    }

    private static Task<IResult?> FaultAsync(CloudEngine engine, HttpContext context) =>
        RequestFaultGate.ApplyAsync(engine.Faults, "chat", engine.Time, context.RequestAborted);

    private static string Absolute(HttpContext context, string path) =>
        $"{context.Request.Scheme}://{context.Request.Host}{path}";
}
