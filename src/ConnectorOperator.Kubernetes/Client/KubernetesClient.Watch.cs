using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Serialization;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// What the trimmable typed client lacks, as our own requests through its pipeline (credentials, retries, QPS limit,
/// metrics): the watch (single-pass decoding, idle timeout, ERROR events yielded) and metadata-only GET/LIST
/// (PartialObjectMetadata, which has no model in the library).
/// </summary>
public sealed partial class KubernetesClient
{
    private const string MetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private const string MetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    private async Task<PartialObjectMetadata> GetMetadataAsync(ResourceType type, string? @namespace, string name, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(type.PathFor(@namespace, name), MetadataAccept, operation, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, Json.TypeInfo<PartialObjectMetadata>(), cancellationToken)
            ?? throw new JsonException($"{operation}: empty body");
    }

    private async Task<KubernetesList<T>> ListMetadataAsync<T>(ResourceType type, string? @namespace, ListOptions options, string operation, CancellationToken cancellationToken)
        where T : IKubernetesObject
    {
        var query = new QueryBuilder()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit)
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
        using var response = await SendAsync(type.PathFor(@namespace) + query, MetadataListAccept, operation, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, Json.ListTypeInfo<T>(), cancellationToken)
            ?? throw new JsonException($"{operation}: empty body");
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string accept, string operation, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _api.UrlFor(path));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        HttpResponseMessage response;
        using (request)
        {
            response = await _api.SendOwnAsync(request, cancellationToken);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response) throw await KubernetesApiException.FromResponseAsync(response, operation, cancellationToken);
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
        var typeInfo = Json.TypeInfo<T>();
        var statusInfo = Json.TypeInfo<V1Status>();

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var idleTimeout = options.IdleTimeout;
        if (idleTimeout is { } t) idle.CancelAfter(t);

        var request = new HttpRequestMessage(HttpMethod.Get, _api.UrlFor(type.PathFor(@namespace) + query));
        request.Headers.TryAddWithoutValidation("Accept", typeof(T) == typeof(PartialObjectMetadata) ? MetadataAccept : "application/json");
        HttpResponseMessage response;
        try
        {
            using (request) response = await _api.SendOwnAsync(request, idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"watch {type}: no response within {idleTimeout}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw await KubernetesApiException.FromResponseAsync(response, $"watch {type}", cancellationToken);

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
}
