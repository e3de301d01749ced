using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Configuration;

namespace ConnectorOperator.Connector.Cloud;

/// <summary>Login, refresh and logout of the bot agent user (agentVep).</summary>
public sealed class LoginClient
{
    private readonly HttpClient _http;
    private readonly string _accountId;
    private readonly string _user;
    private readonly LoginCredentials _credentials;
    private readonly SecretRedactor _redactor;

    public LoginClient(HttpClient http, string accountId, string user, LoginCredentials credentials, SecretRedactor redactor)
    {
        _http = http;
        _accountId = accountId;
        _user = user;
        _credentials = credentials;
        _redactor = redactor;
    }

    public async Task<LoginSession> LoginAsync(Uri agentVep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentVep);
        var body = new JsonObject { ["username"] = _user };
        if (_credentials.UsesApiKey)
        {
            body["appKey"] = _credentials.AppKey;
            body["secret"] = _credentials.AppSecret;
            body["accessToken"] = _credentials.AccessToken;
            body["accessTokenSecret"] = _credentials.AccessTokenSecret;
        }
        else
        {
            body["password"] = _credentials.Password;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(agentVep, $"api/account/{_accountId}/login?v=1.3"))
        {
            Content = JsonBody(body),
        };
        using var response = await SendAsync(request, "login", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new CloudFailureException(ConnectorReasons.Unauthorized,
                $"login for agent user '{_user}' was refused ({(int)response.StatusCode}): check the credentials Secret and that the user is enabled and uses {(_credentials.UsesApiKey ? "API-key" : "password")} login{Detail(text)}",
                (int)response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed,
                $"login for agent user '{_user}' failed with {(int)response.StatusCode}{Detail(text)}", (int)response.StatusCode);
        }

        try
        {
            var json = JsonNode.Parse(text)!;
            var bearer = json["bearer"]!.GetValue<string>();
            var csrf = json["csrf"]?.GetValue<string>() ?? "";
            var userId = json["config"]?["userId"]?.GetValue<string>() ?? "";
            var loginName = json["config"]?["loginName"]?.GetValue<string>() ?? _user;
            var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? string.Join("; ", cookies.Select(c => c.Split(';', 2)[0]))
                : null;
            _redactor.Add(bearer);
            _redactor.Add(csrf);
            _redactor.Add(cookie);
            foreach (var part in cookie?.Split("; ") ?? [])
            {
                _redactor.Add(part.Split('=', 2).ElementAtOrDefault(1));
            }

            return new LoginSession(bearer, csrf, cookie, userId, loginName);
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"login for agent user '{_user}' answered without a bearer", null, ex);
        }
    }

    /// <summary>Keeps the session alive; a 401 (expired, revoked, taken over) surfaces as Unauthorized.</summary>
    public async Task RefreshAsync(Uri agentVep, LoginSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentVep);
        ArgumentNullException.ThrowIfNull(session);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(agentVep, $"api/account/{_accountId}/refresh?v=1.3"))
        {
            Content = JsonBody(new JsonObject { ["csrf"] = session.Csrf }),
        };
        if (session.SessionCookie is not null)
        {
            request.Headers.Add("Cookie", session.SessionCookie);
        }

        using var response = await SendAsync(request, "session refresh", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new CloudFailureException(ConnectorReasons.Unauthorized,
                $"session refresh for agent user '{_user}' was refused (401): the session expired or another login took it", 401);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed,
                $"session refresh for agent user '{_user}' failed with {(int)response.StatusCode}", (int)response.StatusCode);
        }
    }

    public async Task LogoutAsync(Uri agentVep, LoginSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentVep);
        ArgumentNullException.ThrowIfNull(session);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(agentVep, $"api/account/{_accountId}/logout?v=1.3"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.Bearer);
        if (session.SessionCookie is not null)
        {
            request.Headers.Add("Cookie", session.SessionCookie);
        }

        using var response = await SendAsync(request, "logout", cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed,
                $"{what} for agent user '{_user}' could not reach {request.RequestUri!.Authority}: {_redactor.Redact(ex.Message)}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudFailureException(ConnectorReasons.ConnectionFailed, $"{what} for agent user '{_user}' timed out", null, ex);
        }
    }

    /// <summary>Serializes the node itself: JsonContent.Create would reflect over the type, which trimming cannot keep.</summary>
    private static StringContent JsonBody(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private string Detail(string body)
    {
        try
        {
            var error = JsonNode.Parse(body)?["error"]?.GetValue<string>();
            return string.IsNullOrWhiteSpace(error) ? "" : $" (service said: {_redactor.Redact(error)})";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "";
        }
    }
}
