using ConnectorOperator.Simulator.Cloud;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConnectorOperator.Simulator.Http;

/// <summary>POST /apigee/token: the OAuth 2.0 client-credentials token endpoint (form body).</summary>
internal static class ApigeeTokenEndpoint
{
    public const string Path = "/apigee/token";

    public static void Map(IEndpointRouteBuilder app, CloudEngine engine)
    {
        app.MapPost(Path, async (HttpContext context) =>
        {
            if (!context.Request.HasFormContentType)
            {
                return HttpJson.Error(400, "an application/x-www-form-urlencoded body is required");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var fields = form.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            var (status, body) = engine.Apigee.Issue(fields);
            return HttpJson.Json(body, status);
        });
    }
}
