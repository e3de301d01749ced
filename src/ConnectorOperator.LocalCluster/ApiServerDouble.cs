using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Faults;
using ConnectorOperator.LocalCluster.Http;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Security;
using ConnectorOperator.LocalCluster.Selectors;
using ConnectorOperator.LocalCluster.Storage;
using ConnectorOperator.LocalCluster.Writes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.LocalCluster;

/// <summary>
/// An in-process Kubernetes API server double: Kestrel on 127.0.0.1 (random port), HTTP/1.1, and HTTP/2 over TLS.
/// Besides HTTP, tests and fake kubelets can read and write the store directly (<see cref="GetObject"/> and friends);
/// those calls go through the same validation, watch events and garbage collection as HTTP requests.
/// </summary>
public sealed class ApiServerDouble : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private static readonly WriteOptions DirectWrites = new() { FieldManager = "apiserver-double" };

    private readonly WebApplication _app;
    private readonly CertificateAuthority? _authority;
    private readonly X509Certificate2? _servingCertificate;
    private readonly ApiServerOptions _options;
    private readonly StaticTokens _tokens;
    private readonly ServiceAccountTokens _serviceAccountTokens;

    private ApiServerDouble(WebApplication app, ObjectStore store, WritePipeline writes, IAuthorizer authorizer, FaultInjector faults, ApiServerOptions options, CertificateAuthority? authority, X509Certificate2? servingCertificate)
    {
        _tokens = new StaticTokens(options.Tokens);
        _serviceAccountTokens = new ServiceAccountTokens(options.TimeProvider);
        Authorizer = authorizer;
        _app = app;
        Store = store;
        Writes = writes;
        Faults = faults;
        _options = options;
        _authority = authority;
        _servingCertificate = servingCertificate;
        BaseAddress = new Uri("http://127.0.0.1/");
    }

    /// <summary>http(s)://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; private set; }

    public FaultInjector Faults { get; }

    /// <summary>Decides every HTTP request (<see cref="ApiServerOptions.Authorization"/>); tests may ask it directly.</summary>
    public IAuthorizer Authorizer { get; }

    /// <summary>Every distinct authorization decision on HTTP requests, per user.</summary>
    public AccessLog AccessLog { get; } = new();

    /// <summary>The store behind the HTTP API: reads and watches (typed access by <see cref="ResourceType"/>).</summary>
    public ObjectStore Store { get; }

    /// <summary>Writes to <see cref="Store"/> through admission, validation and garbage collection, as HTTP writes go.</summary>
    public WritePipeline Writes { get; }

    /// <summary>With TLS: the generated CA that signed the serving certificate.</summary>
    public X509Certificate2? CertificateAuthority => _authority?.Certificate;

    /// <summary>The newest resourceVersion handed out (all kinds share one counter).</summary>
    public long CurrentResourceVersion => Store.CurrentResourceVersion;

    public static async Task<ApiServerDouble> StartAsync(ApiServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ApiServerOptions();
        var useTls = options.UseTls || options.RequireClientCertificate;
        var authority = useTls ? Security.CertificateAuthority.Create() : null;
        var serving = authority?.IssueServingCertificate();
        var clientCa = options.ClientCaCertificate ?? authority?.Certificate;
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ApiServerDouble).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        // Nothing from the host process's appsettings or environment (Kestrel endpoints, URLs) may leak in.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Like kube-apiserver: many watches share one HTTP/2 connection, and slow readers are not cut off by a data rate.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = useTls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                if (serving is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = serving;
                        https.ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
                        https.ClientCertificateValidation = (certificate, _, _) => clientCa is not null && Security.CertificateAuthority.ChainsTo(certificate, clientCa);
                    });
                }
            });
        });

        var app = builder.Build();
        var catalog = new ResourceCatalog();
        var store = new ObjectStore(catalog, options.WatchHistorySize, options.ListSnapshotCapacity, options.WatcherBufferSize);
        IAuthorizer authorizer = options.Authorization == AuthorizationMode.Rbac ? new RbacAuthorizer(store.Scan) : new AlwaysAllowAuthorizer();
        store.OnChange(new ClusterRoleAggregator(store).OnChange);
        var writes = new WritePipeline(store, authorizer, options.CelEvaluator, options.TimeProvider, options.PodsTerminateImmediately);
        var faults = new FaultInjector();
        var server = new ApiServerDouble(app, store, writes, authorizer, faults, options, authority, serving);
        foreach (var ns in InitialNamespaces)
        {
            server.CreateObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        foreach (var role in BootstrapPolicy.Objects())
        {
            server.CreateObject(role);
        }

        var watches = new WatchStream(store, faults, options.TimeProvider, options.BookmarkInterval, app.Lifetime.ApplicationStopping);
        var authenticator = new Authenticator(options.AnonymousAuth, options.RequiredBearerToken, server._tokens, server._serviceAccountTokens, server.ServiceAccountUid);
        var handler = new ApiRequestHandler(store, faults, authenticator, server.Authorizer, server.AccessLog, new ResourceEndpoints(store, writes, watches, options.TimeProvider), new ReviewEndpoints(server.Authorizer), () => server.BaseAddress.Authority, loggerFactory.CreateLogger<ApiServerDouble>());
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>The bearer token of kubernetes-admin (system:masters), generated at start.</summary>
    public string AdminToken => _options.RequiredBearerToken ?? _tokens.AdminToken;

    /// <summary>
    /// Writes a kubeconfig for this server and returns its path: CA data with TLS, and as credentials the given client
    /// certificate, or else the admin (an admin client certificate when certificates are required, the admin token otherwise).
    /// kubectl, KubernetesClient and the Python client all accept it.
    /// </summary>
    /// <param name="clientCertificate">A certificate with private key (e.g. from <see cref="IssueClientCertificate"/>) to authenticate with.</param>
    public string WriteKubeconfig(string path, X509Certificate2? clientCertificate = null)
    {
        if (clientCertificate is null && _options.RequireClientCertificate && _authority is not null && _options.ClientCaCertificate is null)
        {
            using var issued = _authority.IssueClientCertificate(StaticTokens.Admin.Name, UserInfo.Masters);
            return KubeconfigWriter.Write(path, BaseAddress, CertificateAuthority, null, issued);
        }
        return KubeconfigWriter.Write(path, BaseAddress, CertificateAuthority, clientCertificate is null ? AdminToken : null, clientCertificate);
    }

    /// <summary>Writes a kubeconfig that authenticates with <paramref name="token"/> (from <see cref="IssueToken"/> or <see cref="IssueServiceAccountToken"/>).</summary>
    public string WriteKubeconfig(string path, string token) =>
        KubeconfigWriter.Write(path, BaseAddress, CertificateAuthority, token, null);

    /// <summary>A new static bearer token for <paramref name="user"/> in <paramref name="groups"/> (plus system:authenticated).</summary>
    public string IssueToken(string user, params string[] groups) => _tokens.Add(UserInfo.Create(user, groups));

    /// <summary>
    /// A token for the ServiceAccount, as the TokenRequest API issues it: it authenticates as
    /// system:serviceaccount:NS:NAME while that ServiceAccount exists (404 when it does not).
    /// </summary>
    public string IssueServiceAccountToken(string @namespace, string name, TimeSpan? lifetime = null)
    {
        var uid = ServiceAccountUid(@namespace, name)
            ?? throw StatusObjects.NotFound("serviceaccounts", string.Empty, "serviceaccounts", name);
        return _serviceAccountTokens.Issue(@namespace, name, uid, lifetime ?? TimeSpan.FromHours(1));
    }

    /// <summary>With TLS: a client certificate signed by the generated CA (accepted unless <see cref="ApiServerOptions.ClientCaCertificate"/> names another CA).</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups) =>
        (_authority ?? throw new InvalidOperationException("client certificates need UseTls")).IssueClientCertificate(user, groups);

    /// <summary>The object as a GET would return it, or null.</summary>
    /// <exception cref="ApiStatusException">404 when the kind is not served.</exception>
    public JsonObject? GetObject(string apiVersion, string kind, string? @namespace, string name) =>
        Store.Get(Resolve(apiVersion, kind), @namespace, name);

    /// <summary>The stored objects of a kind, not copied (a kubelet's relist over thousands of pods): callers must not change them.</summary>
    internal IReadOnlyList<JsonObject> ScanObjects(string apiVersion, string kind) => Store.Scan(Resolve(apiVersion, kind));

    public IReadOnlyList<JsonObject> ListObjects(string apiVersion, string kind, string? @namespace = null, string? labelSelector = null)
    {
        var resource = Resolve(apiVersion, kind);
        return Store.List(resource, @namespace, LabelSelector.Parse(labelSelector), FieldSelector.Everything, 0, null).Items;
    }

    /// <summary>Creates the object (apiVersion, kind and metadata.namespace taken from it); returns it as stored.</summary>
    /// <exception cref="ApiStatusException">As the HTTP API would answer (409 AlreadyExists, 422 Invalid, ...).</exception>
    public JsonObject CreateObject(JsonObject obj) =>
        Writes.Create(Resolve(obj), obj["metadata"]?["namespace"]?.GetValue<string>(), obj, DirectWrites).Object;

    /// <summary>
    /// Creates every object of a (multi-document) YAML manifest, as <c>kubectl create -f</c> does; namespaced objects
    /// without a namespace go to <paramref name="defaultNamespace"/>. Returns them as stored.
    /// </summary>
    public IReadOnlyList<JsonObject> CreateFromYaml(string yaml, string defaultNamespace = "default")
    {
        var created = new List<JsonObject>();
        foreach (var obj in BodyParser.ParseManifests(yaml))
        {
            if (Resolve(obj).Namespaced && obj["metadata"] is JsonObject metadata && metadata["namespace"] is null)
            {
                metadata["namespace"] = defaultNamespace;
            }
            created.Add(CreateObject(obj));
        }
        return created;
    }

    /// <summary>PUT semantics: replaces the object; a set metadata.resourceVersion is a precondition.</summary>
    public JsonObject UpdateObject(JsonObject obj) =>
        Writes.Update(Resolve(obj), obj["metadata"]?["namespace"]?.GetValue<string>(), RequireName(obj), obj, null, DirectWrites).Object;

    /// <summary>PUT on /status: only status is taken from <paramref name="obj"/>.</summary>
    public JsonObject UpdateStatus(JsonObject obj) =>
        Writes.Update(Resolve(obj), obj["metadata"]?["namespace"]?.GetValue<string>(), RequireName(obj), obj, "status", DirectWrites).Object;

    /// <summary>Atomic read-modify-write: <paramref name="mutate"/> gets the current object and returns the new one.</summary>
    /// <param name="statusOnly">Write through /status (only status changes are kept).</param>
    public JsonObject ModifyObject(string apiVersion, string kind, string? @namespace, string name, Func<JsonObject, JsonObject> mutate, bool statusOnly = false) =>
        Writes.Patch(Resolve(apiVersion, kind), @namespace, name, current => mutate(current!), statusOnly ? "status" : null, DirectWrites).Object;

    /// <summary>pods/binding, as a scheduler places a pod: sets spec.nodeName once (409 when already bound).</summary>
    public JsonObject BindPod(string @namespace, string name, string node)
    {
        var pods = Resolve("v1", "Pod");
        return Writes.Patch(pods, @namespace, name, current => PodBinding.Bind(pods, current!, name, node, _options.TimeProvider.GetUtcNow()), "binding", WriteOptions.Default).Object;
    }

    /// <summary>DELETE with the given options; the result says whether the object is gone or only marked for deletion.</summary>
    public DeleteResult DeleteObject(string apiVersion, string kind, string? @namespace, string name, DeleteOptions? options = null) =>
        Writes.Delete(Resolve(apiVersion, kind), @namespace, name, options ?? DeleteOptions.Default);

    public async ValueTask DisposeAsync()
    {
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _servingCertificate?.Dispose();
        _authority?.Dispose();
    }

    private string? ServiceAccountUid(string @namespace, string name) =>
        GetObject("v1", "ServiceAccount", @namespace, name)?["metadata"]?["uid"]?.GetValue<string>();

    private ResourceType Resolve(JsonObject obj) =>
        Resolve(obj["apiVersion"]?.GetValue<string>() ?? string.Empty, obj["kind"]?.GetValue<string>() ?? string.Empty);

    private ResourceType Resolve(string apiVersion, string kind) =>
        Store.Catalog.FindByKind(apiVersion, kind)
        ?? throw new ApiStatusException(404, "NotFound", $"no matches for kind \"{kind}\" in version \"{apiVersion}\"");

    private static string RequireName(JsonObject obj) =>
        obj["metadata"]?["name"]?.GetValue<string>() ?? throw StatusObjects.BadRequest("metadata.name is required");

    /// <summary>The double lives in its host's process: Ctrl+C and SIGTERM are the host's, not a console lifetime's.</summary>
    private sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
