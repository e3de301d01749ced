using System.Text.Json;

namespace ConnectorOperator.Connector.Cloud;

/// <summary>
/// Domain lookup (CSDS). A bare host means https/wss (the real service); an explicit http:// URL
/// means http/ws for every service (simulator, tests). Results are cached briefly.
/// </summary>
public sealed class DomainResolver
{
    private readonly HttpClient _http;
    private readonly string _accountId;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheTime;
    private readonly Uri _csdsBase;
    private readonly bool _secure;
    private ServiceDomains? _cached;
    private DateTimeOffset _cachedAt;

    public DomainResolver(HttpClient http, string csdsDomain, string accountId, TimeProvider time, TimeSpan cacheTime)
    {
        ArgumentNullException.ThrowIfNull(csdsDomain);
        _http = http;
        _accountId = accountId;
        _time = time;
        _cacheTime = cacheTime;
        if (csdsDomain.Contains("://", StringComparison.Ordinal))
        {
            _csdsBase = new Uri(csdsDomain.TrimEnd('/') + "/");
            _secure = _csdsBase.Scheme == Uri.UriSchemeHttps;
        }
        else
        {
            _csdsBase = new Uri($"https://{csdsDomain.TrimEnd('/')}/");
            _secure = true;
        }
    }

    /// <summary>Resolves the services; <paramref name="refresh"/> skips the cache (after a failure).</summary>
    public async Task<ServiceDomains> ResolveAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _cached is not null && _time.GetUtcNow() - _cachedAt < _cacheTime)
        {
            return _cached;
        }

        var uri = new Uri(_csdsBase, $"api/account/{_accountId}/service/baseURI.json?version=1.0");
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(uri, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"domain lookup at {_csdsBase.Authority} failed: {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"domain lookup at {_csdsBase.Authority} timed out", null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // A 404 is the usual sign of a wrong account number: say which field to check.
                throw new CloudFailureException(ConnectorReasons.ConnectionFailed, response.StatusCode == System.Net.HttpStatusCode.NotFound
                        ? $"account {_accountId} is not known at {_csdsBase.Authority} (domain lookup returned 404): check spec.accountId"
                        : $"domain lookup for account {_accountId} returned {(int)response.StatusCode}", (int)response.StatusCode);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var found = Parse(body);
            var agentVep = found.GetValueOrDefault("agentVep")
                ?? throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"domain lookup for account {_accountId} has no agentVep service");
            var messaging = found.GetValueOrDefault("asyncMessagingEnt") ?? found.GetValueOrDefault("facadeMsg");
            _cached = new ServiceDomains(
                new Uri($"{(_secure ? "https" : "http")}://{agentVep}/"),
                messaging is null ? null : new Uri($"{(_secure ? "wss" : "ws")}://{messaging}/"));
            _cachedAt = _time.GetUtcNow();
            return _cached;
        }
    }

    private static Dictionary<string, string> Parse(string body)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("baseURIs", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.TryGetProperty("service", out var service) && item.TryGetProperty("baseURI", out var baseUri)
                        && service.GetString() is { } name && baseUri.GetString() is { } host)
                    {
                        map.TryAdd(name, host);
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, "domain lookup answered with invalid JSON", null, ex);
        }

        return map;
    }
}
