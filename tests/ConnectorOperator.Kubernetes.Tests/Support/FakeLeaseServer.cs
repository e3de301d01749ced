using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Tests.Support;

/// <summary>
/// A tiny API server for namespaced objects of any group (enough for Leases and Events): get, list, create,
/// replace with resourceVersion preconditions (409 Conflict), merge patch and delete, all atomic under one lock.
/// Tests inject failures per request (by User-Agent, method, path) and may edit stored objects directly.
/// Stands in until the shared API server double serves these kinds.
/// </summary>
public sealed class FakeLeaseServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = [];
    private readonly List<string> _log = [];
    private readonly WebApplication _app;
    private long _resourceVersion = 100;
    private int _conflicts;

    private FakeLeaseServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Return a status code to fail the request with it (before it touches the store), or null to serve it.</summary>
    public Func<FakeRequest, HttpStatusCode?>? Fault { get; set; }

    /// <summary>Return a delay to hold the request (before it touches the store), or null.</summary>
    public Func<FakeRequest, TimeSpan?>? Delay { get; set; }

    /// <summary>409 Conflicts answered to stale writes.</summary>
    public int Conflicts
    {
        get
        {
            lock (_gate) return _conflicts;
        }
    }

    public static async Task<FakeLeaseServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeLeaseServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>A client whose User-Agent names it, so faults can target one replica.</summary>
    public KubernetesClient NewClient(string userAgent = "test", TimeSpan? requestTimeout = null) =>
        new(new SocketsHttpHandler(), BaseAddress, new KubernetesClientOptions
        {
            UserAgent = userAgent,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        });

    /// <summary>A deep copy of a stored object, or null.</summary>
    public JsonObject? Get(string plural, string @namespace, string name)
    {
        lock (_gate) return _objects.TryGetValue(Key(plural, @namespace, name), out var obj) ? (JsonObject)obj.DeepClone() : null;
    }

    public List<JsonObject> List(string plural, string @namespace)
    {
        var prefix = $"{plural}/{@namespace}/";
        lock (_gate)
            return [.. _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(o => (JsonObject)o.Value.DeepClone())];
    }

    /// <summary>Changes a stored object as another writer would (bumping its resourceVersion).</summary>
    public void Edit(string plural, string @namespace, string name, Action<JsonObject> edit)
    {
        lock (_gate)
        {
            var obj = _objects[Key(plural, @namespace, name)];
            edit(obj);
            obj["metadata"]!["resourceVersion"] = NextVersion();
        }
    }

    /// <summary>"METHOD path" of every request served so far.</summary>
    public List<string> Requests()
    {
        lock (_gate) return [.. _log];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = new FakeRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.UserAgent.ToString());
        lock (_gate) _log.Add($"{request.Method} {request.Path}");
        if (Delay?.Invoke(request) is { } delay) await Task.Delay(delay, context.RequestAborted);
        if (Fault?.Invoke(request) is { } fault)
        {
            await WriteStatusAsync(context, fault, "InternalError", "injected failure");
            return;
        }

        // /apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}]
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 6 or > 7 || parts[0] != "apis" || parts[3] != "namespaces")
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", "no such path");
            return;
        }
        var (ns, plural, name) = (parts[4], parts[5], parts.Length == 7 ? parts[6] : null);
        JsonObject? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject;

        var (code, result) = Serve(request.Method, ns, plural, name, body);
        if (result is null)
        {
            await WriteStatusAsync(context, code.Status, code.Reason, code.Message);
            return;
        }
        context.Response.StatusCode = (int)code.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.ToJsonString());
    }

    private ((HttpStatusCode Status, string Reason, string Message), JsonNode?) Serve(string method, string ns, string plural, string? name, JsonObject? body)
    {
        var ok = (HttpStatusCode.OK, "", "");
        lock (_gate)
        {
            switch (method)
            {
                case "GET" when name is null:
                    return (ok, new JsonObject
                    {
                        ["kind"] = "List",
                        ["apiVersion"] = "v1",
                        ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                        ["items"] = new JsonArray([.. List(plural, ns)]),
                    });
                case "GET":
                    return _objects.TryGetValue(Key(plural, ns, name), out var found)
                        ? (ok, found.DeepClone())
                        : ((HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found"), null);
                case "POST" when name is null && body is not null:
                {
                    var newName = body["metadata"]?["name"]?.GetValue<string>();
                    if (string.IsNullOrEmpty(newName)) return ((HttpStatusCode.UnprocessableEntity, "Invalid", "metadata.name: Required value"), null);
                    var key = Key(plural, ns, newName);
                    if (_objects.ContainsKey(key)) return ((HttpStatusCode.Conflict, "AlreadyExists", $"{plural} \"{newName}\" already exists"), null);
                    var meta = (JsonObject)body["metadata"]!;
                    meta["namespace"] = ns;
                    meta["uid"] = Guid.NewGuid().ToString();
                    meta["resourceVersion"] = NextVersion();
                    meta["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    _objects[key] = body;
                    return ((HttpStatusCode.Created, "", ""), body.DeepClone());
                }
                case "PUT" when name is not null && body is not null:
                {
                    var key = Key(plural, ns, name);
                    if (!_objects.TryGetValue(key, out var stored)) return ((HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found"), null);
                    var wanted = body["metadata"]?["resourceVersion"]?.GetValue<string>();
                    var current = stored["metadata"]!["resourceVersion"]!.GetValue<string>();
                    if (!string.IsNullOrEmpty(wanted) && wanted != current)
                    {
                        _conflicts++;
                        return ((HttpStatusCode.Conflict, "Conflict",
                            $"Operation cannot be fulfilled on {plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"), null);
                    }
                    var meta = (JsonObject)body["metadata"]!;
                    meta["uid"] = stored["metadata"]!["uid"]!.DeepClone();
                    meta["creationTimestamp"] = stored["metadata"]!["creationTimestamp"]!.DeepClone();
                    meta["resourceVersion"] = NextVersion();
                    _objects[key] = body;
                    return (ok, body.DeepClone());
                }
                case "PATCH" when name is not null && body is not null:
                {
                    var key = Key(plural, ns, name);
                    if (!_objects.TryGetValue(key, out var stored)) return ((HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found"), null);
                    MergePatch(stored, body);
                    stored["metadata"]!["resourceVersion"] = NextVersion();
                    return (ok, stored.DeepClone());
                }
                case "DELETE" when name is not null:
                    return _objects.Remove(Key(plural, ns, name))
                        ? (ok, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success" })
                        : ((HttpStatusCode.NotFound, "NotFound", $"{plural} \"{name}\" not found"), null);
                default:
                    return ((HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{method} not supported here"), null);
            }
        }
    }

    /// <summary>RFC 7386.</summary>
    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null) target.Remove(name);
            else if (value is JsonObject nested && target[name] is JsonObject existing) MergePatch(existing, nested);
            else target[name] = value.DeepClone();
        }
    }

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static string Key(string plural, string @namespace, string name) => $"{plural}/{@namespace}/{name}";

    private static Task WriteStatusAsync(HttpContext context, HttpStatusCode code, string reason, string message)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["reason"] = reason,
            ["message"] = message,
            ["code"] = (int)code,
        }.ToJsonString());
    }
}

public sealed record FakeRequest(string Method, string Path, string UserAgent);
