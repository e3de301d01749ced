using System.Text.Json;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// The operator's thin wrapper over KubernetesClient's typed client (<see cref="Api"/>): one generic call per verb,
/// reached by <see cref="ResourceType"/>, errors as <see cref="KubernetesApiException"/>. Retries, the QPS limit and
/// request metrics are handlers in the typed client's own pipeline; the watch and the metadata-only list (which the
/// trimmable package lacks) are our requests through that same pipeline.
/// </summary>
public sealed partial class KubernetesClient : IDisposable
{
    private readonly TypedApiClient _api;
    private readonly KubernetesClientOptions _options;

    /// <param name="configuration">Where and as whom (kubeconfig, in-cluster or explicit), from <c>ClusterConnectionDiscovery</c>.</param>
    /// <param name="transport">Replaces the library's socket handler (tests: scripted servers, fault injection).</param>
    public KubernetesClient(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null, JsonSerializerOptions? json = null,
        TimeProvider? time = null, ILogger<KubernetesClient>? logger = null, IApiRequestMetrics? requestMetrics = null,
        HttpMessageHandler? transport = null, bool disposeTransport = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _options = options ?? new KubernetesClientOptions();
        Json = json ?? Serialization.KubernetesJson.Default;
        configuration.UserAgent ??= _options.UserAgent;
        configuration.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        List<DelegatingHandler> handlers = [new RetryHandler(_options, time ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance)];
        if (_options.QueriesPerSecond is > 0 and var qps) handlers.Add(new RateLimitHandler(qps, _options.Burst));
        if (requestMetrics is not null) handlers.Add(new ApiRequestMetricsHandler(requestMetrics));
        if (transport is not null) handlers.Add(new TransportHandler(transport, disposeTransport));
        _api = new TypedApiClient(configuration, Json, [.. handlers]);
        HttpMessageHandler innermost = handlers[0];
        while (innermost is DelegatingHandler { InnerHandler: { } inner }) innermost = inner;
        if (innermost is SocketsHttpHandler sockets) ConfigureSockets(sockets, configuration, time ?? TimeProvider.System);
        Server = _api.BaseUri;
    }

    /// <summary>
    /// Our settings on the library's socket handler: HTTP/2 pings that notice connections a load balancer dropped
    /// (which would stall watches), more than one HTTP/2 connection (each watch holds a stream), pooled connections
    /// recycled (DNS changes), and our server-certificate check in place of the library's (<see cref="Config.ServerCertificateValidator"/>).
    /// </summary>
    private static void ConfigureSockets(SocketsHttpHandler sockets, KubernetesClientConfiguration configuration, TimeProvider time)
    {
        sockets.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        sockets.KeepAlivePingTimeout = TimeSpan.FromSeconds(15);
        sockets.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
        sockets.EnableMultipleHttp2Connections = true;
        sockets.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        sockets.ConnectTimeout = TimeSpan.FromSeconds(10);
        if (!configuration.SkipTlsVerify)
            sockets.SslOptions.RemoteCertificateValidationCallback = new Config.ServerCertificateValidator(configuration.SslCaCerts, time).Validate;
    }

    /// <summary>A client for a server address with no credentials over the given transport (tests and benchmarks).</summary>
    public KubernetesClient(HttpMessageHandler transport, Uri server, KubernetesClientOptions? options = null, JsonSerializerOptions? json = null,
        TimeProvider? time = null, ILogger<KubernetesClient>? logger = null, bool disposeHandler = true)
        : this(new KubernetesClientConfiguration { Host = (server ?? throw new ArgumentNullException(nameof(server))).ToString() },
            options, json, time, logger, null, transport, disposeHandler)
    {
    }

    /// <summary>KubernetesClient's typed client, for anything the wrapper does not cover.</summary>
    public IKubernetes Api => _api;

    public Uri Server { get; }

    /// <summary>Serializer options covering the built-in kinds plus any custom resources the caller registered.</summary>
    public JsonSerializerOptions Json { get; }

    public string FieldManager => _options.FieldManager;

    public Task<T> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default) =>
        GetAsync<T>(type, @namespace, name, null, cancellationToken);

    /// <summary>An object or its /status or /scale subresource.</summary>
    public async Task<T> GetAsync<T>(ResourceType type, string? @namespace, string name, string? subresource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var operation = $"get {type} {Describe(@namespace, name)}{Sub(subresource)}";
        if (typeof(T) == typeof(PartialObjectMetadata)) return (T)(object)await GetMetadataAsync(type, @namespace, name, operation, cancellationToken);
        var typed = TypedResource.For(type, typeof(T));
        return await CallAsync(operation, async () => typed is not null
            ? (T)await typed.Get(_api, @namespace, name, subresource, cancellationToken)
            : await GetCustomAsync<T>(type, @namespace, name, subresource, cancellationToken));
    }

    /// <summary>Like <see cref="GetAsync{T}(ResourceType, string?, string, CancellationToken)"/> but null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            return await GetAsync<T>(type, @namespace, name, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>One page. Use <typeparamref name="T"/> = <see cref="PartialObjectMetadata"/> for a metadata-only list.</summary>
    public async Task<KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new ListOptions();
        var operation = $"list {type}";
        if (typeof(T) == typeof(PartialObjectMetadata)) return await ListMetadataAsync<T>(type, @namespace, options, operation, cancellationToken);
        var typed = TypedResource.For(type, typeof(T));
        if (typed is null) return await CallAsync(operation, () => ListCustomAsync<T>(type, @namespace, options, cancellationToken));
        var list = await CallAsync(operation, () => typed.List(_api, @namespace, options, cancellationToken));
        return ToList<T>(list);
    }

    /// <summary>All pages, following <c>continue</c>. The returned resourceVersion is the first page's (a consistent snapshot).</summary>
    public async Task<KubernetesList<T>> ListAllAsync<T>(ResourceType type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject
    {
        var page = options ?? new ListOptions();
        if (page.Limit is null) page = page with { Limit = 500 };
        var first = await ListAsync<T>(type, @namespace, page, cancellationToken);
        var next = first.Metadata?.ContinueProperty;
        while (!string.IsNullOrEmpty(next))
        {
            var more = await ListAsync<T>(type, @namespace, page with { Continue = next, ResourceVersion = null }, cancellationToken);
            foreach (var item in more.Items) first.Items.Add(item);
            next = more.Metadata?.ContinueProperty;
        }
        if (first.Metadata is not null) first.Metadata.ContinueProperty = null;
        return first;
    }

    public Task<T> CreateAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var ns = obj.Metadata.NamespaceProperty;
        var write = new WriteArguments(_options.FieldManager);
        var typed = TypedResource.For(type, typeof(T));
        return CallAsync($"create {type} {Describe(ns, obj.Metadata.Name)}", async () => typed is not null
            ? (T)await typed.Create(_api, obj, ns, write, cancellationToken)
            : Namespaced(type, ns)
                ? await _api.CustomObjects.CreateNamespacedCustomObjectAsync<T>(obj, type.Group, type.Version, ns, type.Plural, fieldManager: write.FieldManager, cancellationToken: cancellationToken)
                : await _api.CustomObjects.CreateClusterCustomObjectAsync<T>(obj, type.Group, type.Version, type.Plural, fieldManager: write.FieldManager, cancellationToken: cancellationToken));
    }

    /// <summary>PUT of the whole object (optimistic concurrency on metadata.resourceVersion). Prefer patches for partial edits.</summary>
    public Task<T> ReplaceAsync<T>(ResourceType type, T obj, string? subresource = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var (ns, name) = (obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        var write = new WriteArguments(_options.FieldManager, subresource);
        var typed = TypedResource.For(type, typeof(T));
        return CallAsync($"replace {type} {Describe(ns, name)}{Sub(subresource)}", async () => typed is not null
            ? (T)await typed.Replace(_api, obj, ns, name, write, cancellationToken)
            : await ReplaceCustomAsync(type, obj, ns, name, write, cancellationToken));
    }

    public Task<T> PatchAsync<T>(ResourceType type, string? @namespace, string name, KubernetesPatch patch, PatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.Body, patch.Type);
        var write = new WriteArguments(options?.FieldManager ?? _options.FieldManager, options?.Subresource, options?.Force == true ? true : null);
        var typed = options?.Subresource == "scale" ? null : TypedResource.For(type, typeof(T));
        return CallAsync($"patch {type} {Describe(@namespace, name)}{Sub(options?.Subresource)}", async () => typed is not null
            ? (T)await typed.Patch(_api, body, @namespace, name, write, cancellationToken)
            : await PatchCustomAsync<T>(type, body, @namespace, name, write, cancellationToken));
    }

    /// <summary>Deletes an object; false when it was already gone. Finalizers may keep it (with a deletionTimestamp) after this returns.</summary>
    public async Task<bool> DeleteAsync(ResourceType type, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var body = options is null ? null : new V1DeleteOptions
        {
            PropagationPolicy = options.PropagationPolicy,
            GracePeriodSeconds = options.GracePeriodSeconds,
            Preconditions = options.PreconditionUid is null && options.PreconditionResourceVersion is null ? null
                : new V1Preconditions { Uid = options.PreconditionUid, ResourceVersion = options.PreconditionResourceVersion },
        };
        var typed = TypedResource.For(type, typeof(object));
        try
        {
            await CallAsync($"delete {type} {Describe(@namespace, name)}", () => typed is not null
                ? typed.Delete(_api, @namespace, name, body, cancellationToken)
                : Namespaced(type, @namespace)
                    ? _api.CustomObjects.DeleteNamespacedCustomObjectAsync(type.Group, type.Version, @namespace, type.Plural, name, body, cancellationToken: cancellationToken)
                    : _api.CustomObjects.DeleteClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, body, cancellationToken: cancellationToken));
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private Task<T> GetCustomAsync<T>(ResourceType type, string? ns, string name, string? subresource, CancellationToken ct)
    {
        var custom = _api.CustomObjects;
        if (Namespaced(type, ns))
        {
            return subresource switch
            {
                null => custom.GetNamespacedCustomObjectAsync<T>(type.Group, type.Version, ns, type.Plural, name, ct),
                "status" => custom.GetNamespacedCustomObjectStatusAsync<T>(type.Group, type.Version, ns, type.Plural, name, ct),
                "scale" => custom.GetNamespacedCustomObjectScaleAsync<T>(type.Group, type.Version, ns, type.Plural, name, ct),
                _ => throw UnknownSubresource(type, subresource),
            };
        }
        return subresource switch
        {
            null => custom.GetClusterCustomObjectAsync<T>(type.Group, type.Version, type.Plural, name, ct),
            "status" => custom.GetClusterCustomObjectStatusAsync<T>(type.Group, type.Version, type.Plural, name, ct),
            "scale" => custom.GetClusterCustomObjectScaleAsync<T>(type.Group, type.Version, type.Plural, name, ct),
            _ => throw UnknownSubresource(type, subresource),
        };
    }

    private Task<KubernetesList<T>> ListCustomAsync<T>(ResourceType type, string? ns, ListOptions o, CancellationToken ct)
        where T : IKubernetesObject
    {
        _api.Register(Json.ListTypeInfo<T>());
        var custom = _api.CustomObjects;
        if (!type.Namespaced)
        {
            return custom.ListClusterCustomObjectAsync<KubernetesList<T>>(type.Group, type.Version, type.Plural, continueParameter: o.Continue,
                fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct);
        }
        return string.IsNullOrEmpty(ns)
            ? custom.ListCustomObjectForAllNamespacesAsync<KubernetesList<T>>(type.Group, type.Version, type.Plural, continueParameter: o.Continue,
                fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)
            : custom.ListNamespacedCustomObjectAsync<KubernetesList<T>>(type.Group, type.Version, ns, type.Plural, continueParameter: o.Continue,
                fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct);
    }

    private Task<T> ReplaceCustomAsync<T>(ResourceType type, T obj, string? ns, string? name, WriteArguments w, CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var custom = _api.CustomObjects;
        if (Namespaced(type, ns))
        {
            return w.Subresource switch
            {
                null => custom.ReplaceNamespacedCustomObjectAsync<T>(obj, type.Group, type.Version, ns, type.Plural, name, fieldManager: w.FieldManager, cancellationToken: ct),
                "status" => custom.ReplaceNamespacedCustomObjectStatusAsync<T>(obj, type.Group, type.Version, ns, type.Plural, name, fieldManager: w.FieldManager, cancellationToken: ct),
                _ => throw UnknownSubresource(type, w.Subresource),
            };
        }
        return w.Subresource switch
        {
            null => custom.ReplaceClusterCustomObjectAsync<T>(obj, type.Group, type.Version, type.Plural, name, fieldManager: w.FieldManager, cancellationToken: ct),
            "status" => custom.ReplaceClusterCustomObjectStatusAsync<T>(obj, type.Group, type.Version, type.Plural, name, fieldManager: w.FieldManager, cancellationToken: ct),
            _ => throw UnknownSubresource(type, w.Subresource),
        };
    }

    private Task<T> PatchCustomAsync<T>(ResourceType type, V1Patch body, string? ns, string name, WriteArguments w, CancellationToken ct)
    {
        var custom = _api.CustomObjects;
        if (Namespaced(type, ns))
        {
            return w.Subresource switch
            {
                null => custom.PatchNamespacedCustomObjectAsync<T>(body, type.Group, type.Version, ns, type.Plural, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct),
                "status" => custom.PatchNamespacedCustomObjectStatusAsync<T>(body, type.Group, type.Version, ns, type.Plural, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct),
                "scale" => custom.PatchNamespacedCustomObjectScaleAsync<T>(body, type.Group, type.Version, ns, type.Plural, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct),
                _ => throw UnknownSubresource(type, w.Subresource),
            };
        }
        return w.Subresource switch
        {
            null => custom.PatchClusterCustomObjectAsync<T>(body, type.Group, type.Version, type.Plural, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct),
            "status" => custom.PatchClusterCustomObjectStatusAsync<T>(body, type.Group, type.Version, type.Plural, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct),
            "scale" => custom.PatchClusterCustomObjectScaleAsync<T>(body, type.Group, type.Version, type.Plural, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct),
            _ => throw UnknownSubresource(type, w.Subresource),
        };
    }

    /// <summary>Runs one typed-client call; its HttpOperationException becomes our typed error.</summary>
    private static async Task<T> CallAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e)
        {
            throw KubernetesApiException.From(e, operation);
        }
    }

    private static KubernetesList<T> ToList<T>(object list)
        where T : IKubernetesObject
    {
        var items = list is IItems<T> typed ? typed.Items ?? [] : throw new JsonException($"{list.GetType().Name} is not a list of {typeof(T).Name}");
        var source = (IKubernetesObject)list;
        var metadata = (list as IMetadata<V1ListMeta>)?.Metadata ?? new V1ListMeta();
        return new KubernetesList<T>(items as IList<T> ?? [.. items], source.ApiVersion, source.Kind, metadata);
    }

    private static bool Namespaced(ResourceType type, string? @namespace) => type.Namespaced && !string.IsNullOrEmpty(@namespace);

    private static NotSupportedException UnknownSubresource(ResourceType type, string? subresource) =>
        new($"{type}/{subresource}: the typed client reaches /status and /scale only");

    private static string Describe(string? @namespace, string? name) =>
        string.IsNullOrEmpty(@namespace) ? name ?? "" : $"{@namespace}/{name}";

    private static string Sub(string? subresource) => subresource is null ? "" : "/" + subresource;

    public void Dispose() => _api.Dispose();
}
