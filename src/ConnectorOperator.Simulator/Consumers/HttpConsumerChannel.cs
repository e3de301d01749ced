using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Consumers;

/// <summary>Consumers of a simulator in another process, through its <c>/_sim</c> control API and activity stream.</summary>
public sealed class HttpConsumerChannel : IConsumerChannel
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    /// <param name="simulatorAddress">The simulator's root (its csds address).</param>
    public HttpConsumerChannel(Uri simulatorAddress)
    {
        _http = new HttpClient { BaseAddress = simulatorAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task StartAsync(Action<ConversationActivity> observer, CancellationToken ct)
    {
        var response = await _http.GetAsync(new Uri("/_sim/activity", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(ct);
        _reader = Task.Run(() => ReadAsync(response, stream, observer, _stop.Token), CancellationToken.None);
    }

    private static async Task ReadAsync(HttpResponseMessage response, Stream stream, Action<ConversationActivity> observer, CancellationToken ct)
    {
        using var _ = response;
        using var reader = new StreamReader(stream);
        try
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line) && JsonSerializer.Deserialize<ConversationActivity>(line, SimulatorOptions.JsonOptions) is { } activity)
                {
                    observer(activity);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Stopped, or the simulator went away.
        }
    }

    public async Task<string> OpenAsync(string accountId, string skillId, string firstMessage, CancellationToken ct)
    {
        var body = await PostAsync("/_sim/conversations", new JsonObject { ["accountId"] = accountId, ["skillId"] = skillId, ["message"] = firstMessage }, ct);
        return body["conversationId"]!.GetValue<string>();
    }

    public async Task<long> SendAsync(string conversationId, string text, CancellationToken ct)
    {
        var body = await PostAsync($"/_sim/conversations/{Uri.EscapeDataString(conversationId)}/messages", new JsonObject { ["text"] = text }, ct);
        return body["sequence"]!.GetValue<long>();
    }

    public async Task CloseAsync(string conversationId, CancellationToken ct) =>
        await PostAsync($"/_sim/conversations/{Uri.EscapeDataString(conversationId)}/close", [], ct);

    private async Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>(ct) ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
        {
            await _reader;
        }

        _stop.Dispose();
        _http.Dispose();
    }
}
