using System.Net;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>An open watch: reads newline-delimited events with a timeout per event.</summary>
public sealed class WatchReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private Task<string?>? _pending;

    private WatchReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public static async Task<WatchReader> OpenAsync(HttpClient http, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new WatchReader(response, new StreamReader(stream));
    }

    /// <summary>The next event, or null when the stream ended cleanly. Throws TimeoutException when none arrives in time.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? timeout = null)
    {
        _pending ??= _reader.ReadLineAsync();
        var finished = await Task.WhenAny(_pending, Task.Delay(timeout ?? TimeSpan.FromSeconds(5)));
        if (finished != _pending)
        {
            throw new TimeoutException("no watch event arrived in time");
        }

        var line = await _pending;
        _pending = null;
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>Asserts that nothing arrives for <paramref name="quiet"/>.</summary>
    public async Task ExpectSilenceAsync(TimeSpan quiet)
    {
        _pending ??= _reader.ReadLineAsync();
        var finished = await Task.WhenAny(_pending, Task.Delay(quiet));
        Assert.True(finished != _pending, "expected no watch event, got: " + (finished == _pending ? await _pending : string.Empty));
    }

    public async Task<string?> RawPendingAsync() => _pending is null ? null : await _pending;

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        _reader.Dispose();
        if (_pending is not null)
        {
            try
            {
                await _pending;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
            {
                // The stream was torn down under the read.
            }
        }
    }
}
