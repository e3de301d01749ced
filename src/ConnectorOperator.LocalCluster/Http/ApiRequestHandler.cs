using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Faults;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Representation;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.LocalCluster.Security;
using ConnectorOperator.LocalCluster.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Every request: injected faults, authentication, routing, and errors as Status bodies.</summary>
internal sealed partial class ApiRequestHandler(ObjectStore store, FaultInjector faults, Authenticator authenticator, IAuthorizer authorizer, AccessLog accessLog, ResourceEndpoints resources, ReviewEndpoints reviews, Func<string> serverAddress, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        finally
        {
            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty, context.Response.StatusCode, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        try
        {
            if (!await InjectFaultsAsync(context).ConfigureAwait(false))
            {
                return;
            }

            var user = authenticator.Authenticate(context.Connection.ClientCertificate, context.Request.Headers.Authorization.ToString());
            context.Features.Set(user);
            var target = RequestTarget.Parse(context.Request.Path.Value ?? "/", store.Catalog);
            var attributes = RequestAttributesReader.Read(context.Request, target, user);
            var decision = authorizer.Authorize(attributes);
            accessLog.Record(attributes, decision.Allowed);
            if (!decision.Allowed)
            {
                throw ForbiddenMessages.Forbidden(attributes, decision.Reason);
            }

            await RouteAsync(context, target, user).ConfigureAwait(false);
        }
        catch (ApiStatusException e)
        {
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (PatchException e)
        {
            var reason = e.StatusCode switch
            {
                409 => "Conflict",
                422 => "Invalid",
                _ => "BadRequest",
            };
            await WriteErrorAsync(context, new ApiStatusException(e.StatusCode, reason, e.Message)).ConfigureAwait(false);
        }
        catch (InvalidSchemaException e)
        {
            await WriteErrorAsync(context, new ApiStatusException(422, "Invalid", e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, new ApiStatusException(500, "InternalError", $"Internal error occurred: {e.Message}")).ConfigureAwait(false);
        }
    }

    private async Task<bool> InjectFaultsAsync(HttpContext context)
    {
        var latency = faults.NextLatency();
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
        }

        if (faults.PickFailure(context.Request.Method, (context.Request.Path.Value ?? "/") + context.Request.QueryString.Value) is not { } rule)
        {
            return true;
        }

        var error = rule.StatusCode switch
        {
            429 => new ApiStatusException(429, "TooManyRequests", "Too many requests, please try again later.", RetryDetails(rule)) { Headers = RetryHeader(rule) },
            503 => new ApiStatusException(503, "ServiceUnavailable", "The server is currently unable to handle the request", RetryDetails(rule)) { Headers = RetryHeader(rule) },
            _ => new ApiStatusException(rule.StatusCode, ReasonFor(rule.StatusCode), $"injected fault ({rule.StatusCode})"),
        };
        await WriteErrorAsync(context, error).ConfigureAwait(false);
        return false;
    }

    private static string ReasonFor(int statusCode) => statusCode switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        504 => "Timeout",
        _ => "InternalError",
    };

    private static JsonObject RetryDetails(FaultRule rule) => new()
    {
        ["causes"] = new JsonArray(new JsonObject { ["reason"] = "RetryAfter", ["message"] = "Retry after the time given" }),
        ["retryAfterSeconds"] = rule.RetryAfterSeconds,
    };

    private static Dictionary<string, string> RetryHeader(FaultRule rule) =>
        new() { ["Retry-After"] = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) };

    private async Task RouteAsync(HttpContext context, RequestTarget target, UserInfo user)
    {
        if (target.Resource is { CreateOnly: true })
        {
            await reviews.HandleAsync(context, target, user).ConfigureAwait(false);
            return;
        }

        if (target.Kind is TargetKind.Collection or TargetKind.Item)
        {
            await resources.HandleAsync(context, target).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw target.Kind == TargetKind.Unknown ? StatusObjects.PathNotFound() : StatusObjects.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var catalog = store.Catalog;
        if (target.Kind == TargetKind.OpenApiV2 && !MediaTypes.AcceptsJson(context.Request.Headers.Accept.ToString())
            && context.Request.Headers.Accept.ToString().Contains(OpenApiV2Protobuf.MediaType, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = OpenApiV2Protobuf.ContentType;
            await context.Response.Body.WriteAsync(OpenApiV2Protobuf.Document, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var document = target.Kind switch
        {
            TargetKind.Version => DiscoveryDocuments.Version(),
            TargetKind.Health => null,
            TargetKind.CoreVersions => DiscoveryDocuments.CoreVersions(serverAddress()),
            TargetKind.GroupList => DiscoveryDocuments.GroupList(catalog),
            TargetKind.Group => DiscoveryDocuments.Group(catalog, target.Group),
            TargetKind.GroupVersion => DiscoveryDocuments.ResourceList(catalog, target.Group, target.Version),
            TargetKind.OpenApiV2 => MediaTypes.AcceptsJson(context.Request.Headers.Accept.ToString())
                ? OpenApiDocuments.V2(DiscoveryDocuments.ServedKinds(catalog))
                : throw new ApiStatusException(406, "NotAcceptable", $"only application/json and {OpenApiV2Protobuf.MediaType} are served for /openapi/v2"),
            TargetKind.OpenApiV3Index => OpenApiDocuments.V3Index(DiscoveryDocuments.ServedKinds(catalog)),
            TargetKind.OpenApiV3Document => catalog.All.Any(r => r.Group == target.Group && r.Version == target.Version)
                ? OpenApiDocuments.V3GroupVersion(DiscoveryDocuments.ServedKinds(catalog), target.Group, target.Version)
                : null,
            _ => null,
        };
        if (target.Kind == TargetKind.Health)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await ResponseWriter.WriteJsonAsync(context, 200, document ?? throw StatusObjects.PathNotFound()).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext context, ApiStatusException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        await ResponseWriter.WriteStatusAsync(context, error).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}{Query} -> {Status} in {ElapsedMs:F1} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, string query, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
