using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Configuration;

namespace ConnectorOperator.Connector.Bot;

/// <summary>
/// The external webhook's OAuth 2.0 bearer from the apigee_* settings: one token request (client credentials in a
/// form body), the token kept until shortly before it expires, then the next call fetches a new one.
/// </summary>
public sealed class ApigeeTokenSource : IDisposable
{
    /// <summary>Renew this long before expiry (at most half the token's lifetime), so no call goes out with a token about to lapse.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

    /// <summary>The lifetime assumed when the answer gives none.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly ApigeeSettings _settings;
    private readonly TimeProvider _time;
    private readonly SecretRedactor _redactor;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _current;

    public ApigeeTokenSource(HttpClient http, ApigeeSettings settings, TimeProvider time, SecretRedactor redactor)
    {
        _http = http;
        _settings = settings;
        _time = time;
        _redactor = redactor;
    }

    /// <summary>A valid token; throws <see cref="ApigeeTokenException"/> with the reason when none can be had.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } held && _time.GetUtcNow() < held.RenewAt)
        {
            return held.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another call may have fetched one while this one waited.
            if (_current is { } fresh && _time.GetUtcNow() < fresh.RenewAt)
            {
                return fresh.Token;
            }

            var (token, lifetime) = await RequestAsync(cancellationToken);
            var margin = lifetime / 2 < RenewBefore ? lifetime / 2 : RenewBefore;
            Volatile.Write(ref _current, new CachedToken(token, _time.GetUtcNow() + lifetime - margin));
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The webhook refused the token (401): the next call fetches a new one.</summary>
    public void Invalidate() => Volatile.Write(ref _current, null);

    public void Dispose() => _gate.Dispose();

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", _settings.GrantType),
            new("client_id", _settings.ClientId),
            new("client_secret", _settings.ClientSecret),
        };
        if (_settings.Audience is { } audience)
        {
            form.Add(new("audience", audience));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.AuthUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var where = $"the Apigee token endpoint at {_settings.AuthUrl.Authority}";
        string body;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var hint = (int)response.StatusCode is 400 or 401 or 403 ? ": check apigee_client_id, apigee_grant_type, apigee_audience and the client secret" : "";
                throw new ApigeeTokenException($"{where} answered {(int)response.StatusCode}{hint}");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new ApigeeTokenException($"{where} is unreachable: {_redactor.Redact(ex.Message)}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApigeeTokenException($"{where} did not answer in time", ex);
        }

        try
        {
            var root = JsonNode.Parse(body) as JsonObject;
            var token = root?["access_token"] is JsonValue t && t.TryGetValue<string>(out var text) && text.Length > 0
                ? text
                : throw new ApigeeTokenException($"{where} answered without an access_token");
            return (token, Lifetime(root!["expires_in"]));
        }
        catch (JsonException ex)
        {
            throw new ApigeeTokenException($"{where} answered with invalid JSON", ex);
        }
    }

    private sealed record CachedToken(string Token, DateTimeOffset RenewAt);

    /// <summary>expires_in in seconds, as a number or (some servers) a string.</summary>
    private static TimeSpan Lifetime(JsonNode? expiresIn)
    {
        double seconds = 0;
        var known = expiresIn is JsonValue value
            && (value.TryGetValue(out seconds)
                || (value.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)));
        return known && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
    }
}

/// <summary>No Apigee token could be had; the message says why (never the secret).</summary>
public sealed class ApigeeTokenException : Exception
{
    public ApigeeTokenException()
    {
    }

    public ApigeeTokenException(string message)
        : base(message)
    {
    }

    public ApigeeTokenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
