using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConnectorOperator.Simulator.Http;

/// <summary>Domain lookup (CSDS) and the agentVep login, refresh and logout.</summary>
internal static class LoginEndpoints
{
    public const string SessionCookie = "session_id";

    private static readonly string[] Services = ["agentVep", "asyncMessagingEnt", "facadeMsg", "accountConfigReadOnly"];

    public static void Map(IEndpointRouteBuilder app, CloudEngine engine, Func<string> hostAndPort)
    {
        app.MapGet("/api/account/{accountId}/service/baseURI.json", async (string accountId, HttpContext context) =>
        {
            if (await RequestFaultGate.ApplyAsync(engine.Faults, "csds", engine.Time, context.RequestAborted) is { } failure)
            {
                return failure;
            }

            if (!engine.HasAccount(accountId))
            {
                return HttpJson.Error(404, "unknown account");
            }

            var baseUris = new JsonArray();
            foreach (var service in Services)
            {
                baseUris.Add(new JsonObject { ["service"] = service, ["account"] = accountId, ["baseURI"] = hostAndPort() });
            }

            return HttpJson.Json(new JsonObject { ["baseURIs"] = baseUris });
        });

        app.MapPost("/api/account/{accountId}/login", async (string accountId, HttpContext context) =>
        {
            if (await RequestFaultGate.ApplyAsync(engine.Faults, "login", engine.Time, context.RequestAborted) is { } failure)
            {
                return failure;
            }

            var body = await HttpJson.ReadObjectAsync(context.Request);
            if (body is null)
            {
                return HttpJson.Error(400, "a JSON body is required");
            }

            var outcome = engine.Login(accountId, new LoginRequest(
                HttpJson.Str(body, "username"),
                HttpJson.Str(body, "password"),
                HttpJson.Str(body, "appKey"),
                HttpJson.Str(body, "secret"),
                HttpJson.Str(body, "accessToken"),
                HttpJson.Str(body, "accessTokenSecret")));
            if (outcome.Session is not { } session)
            {
                return HttpJson.Error(401, outcome.Error ?? "unauthorized");
            }

            context.Response.Cookies.Append(SessionCookie, session.Id, new CookieOptions { HttpOnly = true, Path = "/" });
            return HttpJson.Json(new JsonObject
            {
                ["bearer"] = session.Bearer,
                ["csrf"] = session.Csrf,
                ["sessionTTl"] = ((long)engine.Options.SessionTtl.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["config"] = new JsonObject
                {
                    ["userId"] = session.User.UserId,
                    ["userPid"] = session.User.UserPid,
                    ["loginName"] = session.User.LoginName,
                    ["accountId"] = accountId,
                },
            });
        });

        app.MapPost("/api/account/{accountId}/refresh", async (string accountId, HttpContext context) =>
        {
            if (await RequestFaultGate.ApplyAsync(engine.Faults, "refresh", engine.Time, context.RequestAborted) is { } failure)
            {
                return failure;
            }

            var body = await HttpJson.ReadObjectAsync(context.Request);
            var cookie = context.Request.Cookies[SessionCookie];
            return engine.Refresh(accountId, cookie, HttpJson.Str(body, "csrf"))
                ? HttpJson.Json(new JsonObject())
                : HttpJson.Error(401, "session expired or revoked");
        });

        app.MapPost("/api/account/{accountId}/logout", async (string accountId, HttpContext context) =>
        {
            if (await RequestFaultGate.ApplyAsync(engine.Faults, "logout", engine.Time, context.RequestAborted) is { } failure)
            {
                return failure;
            }

            return engine.Logout(accountId, BearerOf(context.Request))
                ? HttpJson.Json(new JsonObject())
                : HttpJson.Error(401, "not logged in");
        });
    }

    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
