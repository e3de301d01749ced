using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>Plain HTTP against the double: raw requests, JSON in and out.</summary>
public sealed class RawClient : IDisposable
{
    public RawClient(ApiServerDouble server, HttpMessageHandler? handler = null)
    {
        // No draining of abandoned watch bodies: a disposed watch should close its connection at once.
        Http = new HttpClient(handler ?? new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero });
        Http.BaseAddress = server.BaseAddress;
        Http.Timeout = TimeSpan.FromSeconds(30);
    }

    public HttpClient Http { get; }

    public async Task<Reply> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    public Task<Reply> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, accept: accept);

    public Task<Reply> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);

    public Task<Reply> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body);

    public Task<Reply> PatchAsync(string path, JsonNode body, string contentType) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<Reply> DeleteAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Delete, path, body);

    public void Dispose() => Http.Dispose();
}

public sealed record Reply(HttpStatusCode Status, string Text, HttpResponseHeaders Headers, string? MediaType)
{
    public JsonObject Json => JsonNode.Parse(Text)!.AsObject();

    public int Code => (int)Status;

    public string? ResourceVersion => Json["metadata"]?["resourceVersion"]?.GetValue<string>();

    public Reply Expect(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected} but got {(int)Status}: {Text}");
        return this;
    }
}
