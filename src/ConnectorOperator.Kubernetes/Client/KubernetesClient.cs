using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Serialization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// A lean, typed Kubernetes REST client. Reads retry on 429/5xx/transport errors with jittered backoff;
/// writes never retry blindly (only a 429 that carries Retry-After, which the server sends before doing anything).
/// </summary>
public sealed partial class KubernetesClient : IDisposable
{
    private const string MetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private const string MetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    private readonly HttpClient _http;
    private readonly KubernetesClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenBucketRateLimiter? _limiter;
    private readonly string _prefix;

    public KubernetesClient(HttpMessageHandler handler, Uri server, KubernetesClientOptions? options = null,
        JsonSerializerOptions? json = null, TimeProvider? time = null, ILogger<KubernetesClient>? logger = null, bool disposeHandler = true)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(server);
        _options = options ?? new KubernetesClientOptions();
        Json = json ?? Serialization.KubernetesJson.Default;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Server = server;
        // Servers may sit behind a path prefix (e.g. a proxy's /k8s/clusters/x): every request path goes under it.
        _prefix = server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _http = new HttpClient(handler, disposeHandler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        if (_options.QueriesPerSecond is > 0 and var qps)
        {
            // Refill about ten times a second, never less than one token at a time.
            var tokensPerPeriod = Math.Max(1, (int)Math.Ceiling(qps / 10));
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, _options.Burst),
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / qps),
                QueueLimit = int.MaxValue,
                AutoReplenishment = true,
            });
        }
    }

    public Uri Server { get; }

    /// <summary>Serializer options covering the built-in kinds plus any custom resources the caller registered.</summary>
    public JsonSerializerOptions Json { get; }

    public string FieldManager => _options.FieldManager;

    public Task<T> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var path = type.PathFor(@namespace, name);
        return ExecuteAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(path)).Accepting(AcceptFor<T>(single: true)),
            read: true, $"get {type} {Describe(@namespace, name)}", (r, ct) => ReadAsync<T>(r, ct), cancellationToken);
    }

    /// <summary>Like <see cref="GetAsync{T}"/> but null when the object does not exist.</summary>
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
    public Task<KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        var query = new QueryBuilder()
            .Add("labelSelector", options?.LabelSelector)
            .Add("fieldSelector", options?.FieldSelector)
            .Add("limit", options?.Limit)
            .Add("continue", options?.Continue)
            .Add("resourceVersion", options?.ResourceVersion);
        var path = type.PathFor(@namespace) + query;
        return ExecuteAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(path)).Accepting(AcceptFor<T>(single: false)),
            read: true, $"list {type}", (r, ct) => ReadListAsync<T>(r, ct), cancellationToken);
    }

    /// <summary>All pages, following <c>continue</c>. The returned resourceVersion is the first page's (a consistent snapshot).</summary>
    public async Task<KubernetesList<T>> ListAllAsync<T>(ResourceType type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject
    {
        var page = options ?? new ListOptions();
        if (page.Limit is null) page = page with { Limit = 500 };
        var first = await ListAsync<T>(type, @namespace, page, cancellationToken);
        var next = first.Metadata.ContinueProperty;
        while (!string.IsNullOrEmpty(next))
        {
            var more = await ListAsync<T>(type, @namespace, page with { Continue = next, ResourceVersion = null }, cancellationToken);
            foreach (var item in more.Items) first.Items.Add(item);
            next = more.Metadata.ContinueProperty;
        }
        first.Metadata.ContinueProperty = null;
        return first;
    }

    public Task<T> CreateAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var path = type.PathFor(obj.Metadata.NamespaceProperty) + new QueryBuilder().Add("fieldManager", _options.FieldManager);
        var body = JsonSerializer.Serialize(obj, Json.TypeInfo<T>());
        return ExecuteAsync(() => new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = JsonContent(body, "application/json") },
            read: false, $"create {type} {Describe(obj.Metadata.NamespaceProperty, obj.Metadata.Name)}", (r, ct) => ReadAsync<T>(r, ct), cancellationToken);
    }

    /// <summary>PUT of the whole object (optimistic concurrency on metadata.resourceVersion). Prefer patches for partial edits.</summary>
    public Task<T> ReplaceAsync<T>(ResourceType type, T obj, string? subresource = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var path = type.PathFor(obj.Metadata.NamespaceProperty, obj.Metadata.Name, subresource) + new QueryBuilder().Add("fieldManager", _options.FieldManager);
        var body = JsonSerializer.Serialize(obj, Json.TypeInfo<T>());
        return ExecuteAsync(() => new HttpRequestMessage(HttpMethod.Put, Url(path)) { Content = JsonContent(body, "application/json") },
            read: false, $"replace {type} {Describe(obj.Metadata.NamespaceProperty, obj.Metadata.Name)}{(subresource is null ? "" : "/" + subresource)}",
            (r, ct) => ReadAsync<T>(r, ct), cancellationToken);
    }

    public Task<T> PatchAsync<T>(ResourceType type, string? @namespace, string name, KubernetesPatch patch, PatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(patch);
        var query = new QueryBuilder().Add("fieldManager", options?.FieldManager ?? _options.FieldManager);
        if (options?.Force == true) query.Add("force", "true");
        var path = type.PathFor(@namespace, name, options?.Subresource) + query;
        return ExecuteAsync(() => new HttpRequestMessage(HttpMethod.Patch, Url(path)) { Content = JsonContent(patch.Body, patch.ContentType) },
            read: false, $"patch {type} {Describe(@namespace, name)}{(options?.Subresource is null ? "" : "/" + options.Subresource)}",
            (r, ct) => ReadAsync<T>(r, ct), cancellationToken);
    }

    /// <summary>Deletes an object; false when it was already gone. Finalizers may keep it (with a deletionTimestamp) after this returns.</summary>
    public async Task<bool> DeleteAsync(ResourceType type, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var path = type.PathFor(@namespace, name);
        var body = DeleteBody(options);
        try
        {
            await ExecuteAsync(() => new HttpRequestMessage(HttpMethod.Delete, Url(path)) { Content = body is null ? null : JsonContent(body, "application/json") },
                read: false, $"delete {type} {Describe(@namespace, name)}", static (_, _) => Task.FromResult(true), cancellationToken);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private static string? DeleteBody(DeleteOptions? options)
    {
        if (options is null) return null;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", "v1");
            w.WriteString("kind", "DeleteOptions");
            if (options.PropagationPolicy is { } p) w.WriteString("propagationPolicy", p);
            if (options.GracePeriodSeconds is { } g) w.WriteNumber("gracePeriodSeconds", g);
            if (options.PreconditionUid is not null || options.PreconditionResourceVersion is not null)
            {
                w.WriteStartObject("preconditions");
                if (options.PreconditionUid is { } uid) w.WriteString("uid", uid);
                if (options.PreconditionResourceVersion is { } rv) w.WriteString("resourceVersion", rv);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// One watch stream, read line by line as the server flushes it. Ends when the server closes the stream;
    /// reconnecting (and relisting on 410) is the caller's job — see <c>Watcher</c>. An ERROR line is yielded, not thrown.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType type, string? @namespace, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new WatchOptions();
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("timeoutSeconds", options.TimeoutSeconds)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null);
        var path = type.PathFor(@namespace) + query;
        var typeInfo = Json.TypeInfo<T>();
        var statusInfo = Json.TypeInfo<V1Status>();

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var idleTimeout = options.IdleTimeout;
        if (idleTimeout is { } t) idle.CancelAfter(t);

        HttpResponseMessage response;
        try
        {
            response = await SendOnceAsync(new HttpRequestMessage(HttpMethod.Get, Url(path)).Accepting(AcceptFor<T>(single: true)), idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"watch {type}: no response within {idleTimeout}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw await ToExceptionAsync(response, $"watch {type}", cancellationToken);

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
            try
            {
                while (true)
                {
                    ReadResult result;
                    try
                    {
                        result = await reader.ReadAsync(idle.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new TimeoutException($"watch {type}: stream idle for {idleTimeout}");
                    }
                    catch (IOException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }

                    var buffer = result.Buffer;
                    while (TryReadLine(ref buffer, out var line))
                    {
                        if (line.IsEmpty) continue;
                        if (idleTimeout is { } again) idle.CancelAfter(again);
                        yield return WatchLine.Parse(line, typeInfo, statusInfo);
                    }
                    // Every event ends with a newline: bytes left at the end mean the stream was cut inside one.
                    var cut = result.IsCompleted && !IsBlank(buffer) ? buffer.Length : 0;
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (cut > 0) throw new JsonException($"watch {type}: the stream ended inside an event ({cut} bytes without a newline)");
                    if (result.IsCompleted) yield break;
                }
            }
            finally
            {
                await reader.CompleteAsync();
            }
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0) return false;
        }
        return true;
    }

    private static string AcceptFor<T>(bool single) =>
        typeof(T) != typeof(PartialObjectMetadata) ? "application/json" : single ? MetadataAccept : MetadataListAccept;

    private Uri Url(string pathAndQuery) => new(_prefix + pathAndQuery);

    private static string Describe(string? @namespace, string? name) =>
        string.IsNullOrEmpty(@namespace) ? name ?? "" : $"{@namespace}/{name}";

    private static StringContent JsonContent(string body, string contentType) =>
        new(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, Json.TypeInfo<T>(), cancellationToken)
            ?? throw new JsonException($"empty {typeof(T).Name} body from {response.RequestMessage?.RequestUri}");
    }

    private async Task<KubernetesList<T>> ReadListAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : IKubernetesObject
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, Json.ListTypeInfo<T>(), cancellationToken)
            ?? throw new JsonException($"empty list body from {response.RequestMessage?.RequestUri}");
    }

    public void Dispose()
    {
        _http.Dispose();
        _limiter?.Dispose();
    }
}
