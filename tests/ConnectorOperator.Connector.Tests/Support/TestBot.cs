using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Tests.Support;

/// <summary>A scriptable bot endpoint on loopback: records each request (body and Authorization header).</summary>
public sealed class TestBot : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBot(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Conversation events (health probes are kept apart, in <see cref="Probes"/>).</summary>
    public ConcurrentQueue<(JsonObject Body, string? Authorization)> Requests { get; } = new();

    /// <summary>The W3C <c>traceparent</c> header of each request that had one.</summary>
    public ConcurrentQueue<string> TraceParents { get; } = new();

    /// <summary>Health probes (event type healthCheck).</summary>
    public ConcurrentQueue<(JsonObject Body, string? Authorization)> Probes { get; } = new();

    /// <summary>Answer for each request; null answers 503.</summary>
    public Func<JsonObject, JsonObject?> Answer { get; set; } = request => Reply("echo " + Text(request));

    /// <summary>Whether a health probe gets 200 (true) or 503.</summary>
    public bool Healthy { get; set; } = true;

    public IReadOnlyList<string> EventsOfType(string type) =>
        Requests.Where(r => r.Body["event"]?["type"]?.GetValue<string>() == type).Select(r => Text(r.Body)).ToList();

    public static string Text(JsonObject request) => request["event"]?["text"]?.GetValue<string>() ?? "";

    public static string Type(JsonObject request) => request["event"]?["type"]?.GetValue<string>() ?? "";

    public static JsonObject Reply(string text) => new()
    {
        ["replies"] = new JsonArray(new JsonObject { ["text"] = text }),
        ["seen"] = true,
    };

    public static async Task<TestBot> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestBot? bot = null;
        app.MapPost("/bot", async (HttpContext context) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            var authorization = context.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null;
            if (Type(body) == "healthCheck")
            {
                bot!.Probes.Enqueue((body, authorization));
                return bot.Healthy ? Results.Text("{}", "application/json") : Results.StatusCode(503);
            }

            bot!.Requests.Enqueue((body, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));
            if (context.Request.Headers.TryGetValue("traceparent", out var traceParent)) bot.TraceParents.Enqueue(traceParent.ToString());
            var answer = bot.Answer(body);
            return answer is null
                ? Results.StatusCode(503)
                : Results.Text(answer.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        bot = new TestBot(app, new Uri(new Uri(address), "/bot"));
        return bot;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
