using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// KubernetesClient's typed client (<see cref="IKubernetes"/>) with our serializer options for request and response
/// bodies. The trimmable package only knows its own models; ours add the custom resources, PartialObjectMetadata and
/// the list envelopes of custom resources, and write MicroTime with all six fractional digits.
/// </summary>
internal sealed class TypedApiClient : k8s.Kubernetes
{
    private readonly JsonSerializerOptions _json;
    private readonly Dictionary<Type, JsonTypeInfo> _extra = [];
    private readonly Lock _gate = new();

    public TypedApiClient(KubernetesClientConfiguration configuration, JsonSerializerOptions json, DelegatingHandler[] handlers)
        : base(configuration, handlers)
    {
        _json = json;
        // Per-request deadlines and retries live in RetryHandler; the library's own overall timeout would cut watches.
        HttpClientTimeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Makes a type the options cannot describe by themselves (a generic list envelope) decodable.</summary>
    public void Register(JsonTypeInfo info)
    {
        lock (_gate) _extra[info.Type] = info;
    }

    private JsonTypeInfo InfoFor(Type type)
    {
        lock (_gate)
        {
            if (_extra.TryGetValue(type, out var info)) return info;
        }
        return _json.GetTypeInfo(type);
    }

    protected override Task<HttpResponseMessage> SendRequest<T>(string relativeUri, HttpMethod method,
        IReadOnlyDictionary<string, IReadOnlyList<string>> customHeaders, T body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, relativeUri))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        foreach (var (name, values) in customHeaders ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, values);
        }
        var content = "";
        if (body is not null)
        {
            content = body is V1Patch patch
                ? patch.Content as string ?? JsonSerializer.Serialize(patch.Content, InfoFor(patch.Content.GetType()))
                : JsonSerializer.Serialize(body, InfoFor(body.GetType()));
            request.Content = new StringContent(content, Encoding.UTF8);
            request.Content.Headers.ContentType = GetHeader(body);
        }
        return SendRequestRaw(content, request, cancellationToken);
    }

    protected override async Task<HttpOperationResponse<T>> CreateResultAsync<T>(HttpRequestMessage httpRequest, HttpResponseMessage httpResponse,
        bool? watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpResponse);
        var result = new HttpOperationResponse<T> { Request = httpRequest, Response = httpResponse };
        await using var stream = await httpResponse.Content.ReadAsStreamAsync(cancellationToken);
        result.Body = (T)(await JsonSerializer.DeserializeAsync(stream, InfoFor(typeof(T)), cancellationToken)
            ?? throw new JsonException($"empty {typeof(T).Name} body from {httpRequest?.RequestUri}"));
        return result;
    }

    /// <summary>Sends a request of our own (watch, metadata-only list) through the same handlers and credentials.</summary>
    public async Task<HttpResponseMessage> SendOwnAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Credentials is not null) await Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        return await HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Uri UrlFor(string path) => new(BaseUri, path.TrimStart('/'));
}
