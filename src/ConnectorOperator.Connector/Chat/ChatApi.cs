using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;

namespace ConnectorOperator.Connector.Chat;

/// <summary>Thin HTTP helper for the Chat agent API: bearer, version query, failures as exceptions.</summary>
internal sealed class ChatApi
{
    private readonly HttpClient _http;
    private readonly string _bearer;
    private readonly SecretRedactor _redactor;

    public ChatApi(HttpClient http, string bearer, SecretRedactor redactor)
    {
        _http = http;
        _bearer = bearer;
        _redactor = redactor;
    }

    /// <summary>A resource path below another (the chat URL, the agent session URL).</summary>
    public static Uri Under(Uri parent, string child) => new(parent.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + child);

    public static Uri WithVersion(Uri uri)
    {
        const string query = "v=1&NC=true";
        var existing = uri.Query.TrimStart('?');
        return new Uri(uri.GetLeftPart(UriPartial.Path) + "?" + (existing.Length == 0 ? query : MergeQuery(existing, query)));
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, Uri? Location)> SendAsync(HttpMethod method, Uri uri, JsonNode? body, CancellationToken cancellationToken, string? methodOverride = null)
    {
        using var request = new HttpRequestMessage(method, WithVersion(uri));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearer);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (methodOverride is not null)
        {
            request.Headers.Add("X-HTTP-Method-Override", methodOverride);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"chat API at {uri.Authority} is unreachable: {_redactor.Redact(ex.Message)}", null, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? json = null;
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    json = JsonNode.Parse(text);
                }
                catch (System.Text.Json.JsonException)
                {
                    json = null;
                }
            }

            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(uri, l)) : null;
            return (response.StatusCode, json, location);
        }
    }

    /// <summary>Posts and checks the status; callers only ever need the created resource's location.</summary>
    public async Task<Uri?> PostAsync(Uri uri, JsonNode body, CancellationToken cancellationToken, string? methodOverride = null)
    {
        var (status, _, location) = await SendAsync(HttpMethod.Post, uri, body, cancellationToken, methodOverride);
        Ensure(status, uri);
        return location;
    }

    public static void Ensure(HttpStatusCode status, Uri uri)
    {
        if ((int)status > 299)
        {
            throw new CloudFailureException(
                status == HttpStatusCode.Unauthorized ? ConnectorReasons.Unauthorized : ConnectorReasons.ConnectionFailed,
                $"chat API {uri.AbsolutePath} answered {(int)status}",
                (int)status);
        }
    }

    private static string MergeQuery(string existing, string ours)
    {
        var parts = existing.Split('&', StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var part in ours.Split('&'))
        {
            var key = part.Split('=')[0];
            if (!parts.Any(p => p.Split('=')[0] == key))
            {
                parts.Add(part);
            }
        }

        return string.Join('&', parts);
    }
}
