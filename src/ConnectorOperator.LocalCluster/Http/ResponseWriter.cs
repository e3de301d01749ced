using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Writes JSON bodies and Status errors with the headers the apiserver sets.</summary>
internal static class ResponseWriter
{
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body, IEnumerable<string>? warnings = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = MediaTypes.Json;
        response.Headers["Cache-Control"] = "no-cache, private";
        foreach (var warning in warnings ?? [])
        {
            response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        await response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiStatusException error)
    {
        foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        return WriteJsonAsync(context, error.Code, error.ToStatus());
    }
}
